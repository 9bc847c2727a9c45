// `scripts/start.ts` (what `npm start` runs) as a child process, for the tests of the whole
// product: free ports, its output collected, and the addresses it prints once ready.
import { spawn } from 'node:child_process';
import { databaseUrlEnv } from '../prisma/postgres.ts';
import { SUBGRAPHS } from '../subgraphs/manifest.ts';
import { testDatabaseUrls } from './graphql.ts';

export interface StartedProcess {
  child: ReturnType<typeof spawn>;
  exited: Promise<number | null>;
  output(): string;
  /** The address `npm start` printed for a service ("GraphQL gateway", "posts subgraph", …). */
  urlOf(label: string): string;
}

/** The environment of a start on the test databases (the configured-server path). */
export function testDatabaseEnv(): NodeJS.ProcessEnv {
  return databaseUrlEnv(testDatabaseUrls());
}

/** Starts it and resolves once it prints "Press Ctrl-C"; rejects if it exits or takes too long. */
export async function startProcess(env: NodeJS.ProcessEnv, args: string[] = [], timeoutMs = 90_000): Promise<StartedProcess> {
  const freePorts = { GATEWAY_PORT: '0', WEB_PORT: '0', ...Object.fromEntries(SUBGRAPHS.map(({ env }) => [env.port, '0'])) };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    env: { ...env, ...freePorts },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    child.stdout.on('data', () => {
      if (!output.includes('Press Ctrl-C')) return;
      clearTimeout(timer);
      resolve();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
  return {
    child,
    exited,
    output: () => output,
    urlOf: (label) => {
      const match = new RegExp(`${label}\\s+(http://\\S+)`).exec(output);
      if (!match) throw new Error(`"${label}" is not in the start-up output:\n${output}`);
      return match[1]!;
    },
  };
}
