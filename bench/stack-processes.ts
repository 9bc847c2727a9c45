// Starts the stack for a benchmark as a process per service (users first: the others fetch its
// token keys), on databases that are already migrated and seeded.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { JWKS_PATH } from '../subgraphs/users/src/subgraph.ts';
import { databaseUrlEnv, type DatabaseUrls } from '../prisma/postgres.ts';
import { SUBGRAPHS, type SubgraphName } from '../subgraphs/manifest.ts';

export type ServiceName = 'gateway' | SubgraphName;

export interface StackProcesses {
  /** Each service's origin, e.g. http://127.0.0.1:40123. */
  origins: Record<ServiceName, string>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

function startProcess(name: ServiceName, env: NodeJS.ProcessEnv, children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/serve-service.ts', name], {
    env: { LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it listened`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(new URL((JSON.parse(line) as { url: string }).url).origin);
    });
  });
}

export interface StackProcessOptions {
  /**
   * The gateway's response and entity caches (CACHE=on|off). Off by default: both styles then
   * fetch every screen from the services and their databases.
   */
  gatewayCache?: boolean;
}

export async function startStackProcesses(databaseUrls: DatabaseUrls, options: StackProcessOptions = {}): Promise<StackProcesses> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    const base = { ...process.env, ...databaseUrlEnv(databaseUrls) };
    const users = await startProcess('users', base, children);
    const withKeys = { ...base, AUTH_JWKS_URL: `${users}${JWKS_PATH}` };
    const others = SUBGRAPHS.filter(({ name }) => name !== 'users');
    const origins = { users } as Record<SubgraphName, string>;
    await Promise.all(others.map(async ({ name }) => (origins[name] = await startProcess(name, withKeys, children))));
    const routingUrls = Object.fromEntries(SUBGRAPHS.map(({ name, env }) => [env.routingUrl, `${origins[name]}/graphql`]));
    const gateway = await startProcess('gateway', { ...withKeys, CACHE: options.gatewayCache ? 'on' : 'off', ...routingUrls }, children);
    return { origins: { gateway, ...origins }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
