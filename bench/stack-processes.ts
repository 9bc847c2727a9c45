// Starts the stack for a benchmark as a process per service (users first: the others fetch its
// token keys), on databases that are already migrated and seeded. More gateways (other settings,
// vanilla Apollo Gateway, ...) can be started on the same subgraphs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { JWKS_PATH } from '../subgraphs/users/src/subgraph.ts';
import { databaseUrlEnv, type DatabaseUrls } from '../prisma/postgres.ts';
import { SUBGRAPHS, type SubgraphName } from '../subgraphs/manifest.ts';

export type ServiceName = 'gateway' | SubgraphName;

/** A started process that listens: its origin (e.g. http://127.0.0.1:40123) and its pid. */
export interface ServiceProcess {
  origin: string;
  pid: number;
}

export interface StackProcesses {
  /** Each service's origin, e.g. http://127.0.0.1:40123. */
  origins: Record<ServiceName, string>;
  pids: Record<ServiceName, number>;
  /** One more of the project's gateways on the same subgraphs, with these settings. */
  startGateway(options: StackProcessOptions): Promise<ServiceProcess>;
  /**
   * Another script on the same subgraphs (a vanilla gateway, a fixed-response server): it gets the
   * subgraphs' routing URLs (USERS_URL, ...) in its environment and prints `{"url": ...}` once it listens.
   */
  startScript(script: string, env?: NodeJS.ProcessEnv): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

function startProcess(args: string[], env: NodeJS.ProcessEnv, children: ChildProcess[]): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const name = args.join(' ');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it listened`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ origin: new URL((JSON.parse(line) as { url: string }).url).origin, pid: child.pid! });
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
  const service = (name: ServiceName, env: NodeJS.ProcessEnv) => startProcess(['bench/serve-service.ts', name], env, children);
  try {
    const base = { ...process.env, ...databaseUrlEnv(databaseUrls) };
    const users = await service('users', base);
    const withKeys = { ...base, AUTH_JWKS_URL: `${users.origin}${JWKS_PATH}` };
    const others = SUBGRAPHS.filter(({ name }) => name !== 'users');
    const started = { users } as Record<ServiceName, ServiceProcess>;
    await Promise.all(others.map(async ({ name }) => (started[name] = await service(name, withKeys))));
    const routingUrls = Object.fromEntries(SUBGRAPHS.map(({ name, env }) => [env.routingUrl, `${started[name].origin}/graphql`]));
    const gatewayEnv = { ...withKeys, ...routingUrls };
    const startGateway = (gatewayOptions: StackProcessOptions) => service('gateway', { ...gatewayEnv, CACHE: gatewayOptions.gatewayCache ? 'on' : 'off' });
    started.gateway = await startGateway(options);
    const names = Object.keys(started) as ServiceName[];
    return {
      origins: Object.fromEntries(names.map((name) => [name, started[name].origin])) as Record<ServiceName, string>,
      pids: Object.fromEntries(names.map((name) => [name, started[name].pid])) as Record<ServiceName, number>,
      startGateway,
      startScript: (script, env = {}) => startProcess([script], { ...gatewayEnv, ...env }, children),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
