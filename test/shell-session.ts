// One shell for a page of examples, as a reader's terminal: each block is sourced in the same bash,
// so a variable one block sets (TOKEN=…) is there for the next. The shell and whatever it starts
// form one process group, stopped whole when the page is done or an example overruns.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface ShellResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface ShellSession {
  run(script: string, timeoutMs?: number): Promise<ShellResult>;
  close(): void;
}

export function openShell(cwd: string): ShellSession {
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-shell-'));
  const bash = spawn('bash', ['--noprofile', '--norc'], {
    cwd,
    // The node that runs the tests is the one the examples' `node -pe` finds.
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` },
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true,
  });
  let printed = '';
  let waiting: (() => void) | undefined;
  bash.stdout.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
    waiting?.();
  });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(-bash.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let count = 0;
  return {
    async run(script, timeoutMs = 30_000) {
      if (stopped) throw new Error('the shell was stopped: an example before this one did not finish');
      const id = ++count;
      const file = (name: string) => path.join(dir, `${id}.${name}`);
      writeFileSync(file('sh'), `${script}\n`);
      const done = `__done_${id}__`;
      bash.stdin.write(`. '${file('sh')}' > '${file('out')}' 2> '${file('err')}' < /dev/null; echo "${done} $?"\n`);
      const status = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          const output = readFileSync(file('out'), 'utf8') + readFileSync(file('err'), 'utf8');
          stop();
          reject(new Error(`the example did not finish within ${timeoutMs / 1000} s; it printed:\n${output}`));
        }, timeoutMs);
        waiting = () => {
          const match = new RegExp(`${done} (\\d+)`).exec(printed);
          if (!match) return;
          clearTimeout(timer);
          resolve(Number(match[1]));
        };
        waiting();
      });
      return { status, stdout: readFileSync(file('out'), 'utf8'), stderr: readFileSync(file('err'), 'utf8') };
    },
    close: stop,
  };
}
