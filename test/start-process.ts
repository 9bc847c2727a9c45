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
  /** Resolves once the output matches `pattern` (e.g. the web app's line, printed once it is built). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export interface StartOptions {
  args?: string[];
  /** The repository it runs in (default: this one); a copy for the tests of a fresh clone. */
  cwd?: string;
  /** Ports to use instead of free ones, by variable (GATEWAY_PORT, POSTS_PORT, …). */
  ports?: Record<string, string>;
}

/** The environment of a start on the test databases (the configured-server path). */
export function testDatabaseEnv(): NodeJS.ProcessEnv {
  return databaseUrlEnv(testDatabaseUrls());
}

/** The environment of a start on the embedded default: no database URL, the cluster in `dataDir`. */
export function embeddedDatabaseEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_POSTGRES_DIR: dataDir };
  for (const name of ['DATABASE_URL', ...SUBGRAPHS.map((subgraph) => subgraph.env.databaseUrl), 'DATABASE_NAME_PREFIX', 'EMBEDDED_POSTGRES_PORT']) {
    delete env[name];
  }
  return env;
}

function spawnStart(env: NodeJS.ProcessEnv, options: StartOptions) {
  const freePorts = { GATEWAY_PORT: '0', WEB_PORT: '0', ...Object.fromEntries(SUBGRAPHS.map(({ env }) => [env.port, '0'])) };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...env, ...freePorts, ...options.ports },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Runs a start that must fail, to its end: its exit code and everything it printed. */
export async function failedStart(env: NodeJS.ProcessEnv, options: StartOptions = {}): Promise<{ code: number | null; output: string }> {
  const { exited, output } = spawnStart(env, options);
  const code = await exited;
  return { code, output: output() };
}

/** Starts it and resolves once it prints "Press Ctrl-C" (the API is served); rejects if it exits or takes too long. */
export async function startProcess(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  timeoutMs = 90_000,
  options: Omit<StartOptions, 'args'> = {},
): Promise<StartedProcess> {
  const { child, exited, output } = spawnStart(env, { ...options, args });
  const waitFor = (pattern: RegExp, waitMs = timeoutMs) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(output())) return;
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      };
      const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${waitMs / 1000} s:\n${output()}`)), waitMs);
      child.stdout.on('data', check);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before ${pattern}:\n${output()}`));
      });
      check();
    });
  await waitFor(/Press Ctrl-C/);
  return {
    child,
    exited,
    output,
    waitFor,
    urlOf: (label) => {
      const match = new RegExp(`${label}\\s+(http://\\S+)`).exec(output());
      if (!match) throw new Error(`"${label}" is not in the start-up output:\n${output()}`);
      return match[1]!;
    },
  };
}
