// The stack as containers run it: each subgraph and each gateway replica in a process of its own,
// started from its own entry point (subgraphs/*/src/main.ts, gateway/src/main.ts) with its settings
// in the environment, on a port it keeps across restarts, with real HTTP between them. Used by
// `npm run start:distributed` and e2e/distributed, on databases already migrated.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { freePortOn } from '#lib/service/ports.ts';
import { databaseUrlEnv, type DatabaseUrls } from '../prisma/postgres.ts';
import { SUBGRAPHS, type SubgraphName } from '../subgraphs/manifest.ts';
import { JWKS_PATH } from '../subgraphs/users/src/subgraph.ts';

const GATEWAY_MAIN = 'gateway/src/main.ts';
// A start takes seconds; on a machine busy with other work (tests in parallel), a minute or more.
const START_TIMEOUT_MS = 150_000;

interface ServiceProcess {
  /** `users`, …, `gateway-1`, `gateway-2`. */
  readonly name: string;
  /** Where it listens, e.g. http://127.0.0.1:40123; the same after a restart. */
  readonly origin: string;
  /** Its GraphQL endpoint. */
  readonly url: string;
  readonly running: boolean;
  /** Sends `signal` (SIGTERM: it drains, then exits; SIGKILL: a crash) and resolves with how it exited. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
  /** Starts it again, on the same port with the same settings; resolves once it answers /health. */
  restart(): Promise<void>;
}

export interface StackProcessOptions {
  databaseUrls: DatabaseUrls;
  /** How many gateway processes, each on a port of its own (default 1). */
  gatewayReplicas?: number;
  host?: string;
  /** Settings every service gets, over this process's environment (REDIS_URL, key prefixes, LOG_LEVEL, …). */
  env?: NodeJS.ProcessEnv;
  /** Settings of one gateway replica (numbered from 1) over those. */
  gatewayEnv?: (replica: number) => NodeJS.ProcessEnv;
  /** Ports by subgraph name; unset or 0 picks a free one. */
  subgraphPorts?: Partial<Record<SubgraphName, number>>;
  /** Each line a service prints (JSON log lines at LOG_LEVEL), as it prints it. */
  onOutput?: (service: string, line: string) => void;
}

export interface StackProcesses {
  subgraphs: Record<SubgraphName, ServiceProcess>;
  gateways: ServiceProcess[];
  /** SIGTERM to every service still running (gateways first), resolving once all have exited. */
  stop(): Promise<void>;
}

/** Children left running when this process exits (a crash, a test runner's timeout) are killed with it. */
const everyChild = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of everyChild) child.kill('SIGKILL');
});

async function startServiceProcess(
  name: string,
  entry: string,
  settings: { host: string; port: number; env: NodeJS.ProcessEnv; onOutput?: (service: string, line: string) => void },
): Promise<ServiceProcess> {
  const port = await portOrFree(settings.port, settings.host);
  const origin = `http://${settings.host}:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<number | NodeJS.Signals | null> = Promise.resolve(null);
  const recentOutput: string[] = [];

  const start = async () => {
    const spawned = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: { LOG_LEVEL: 'warn', ...process.env, ...settings.env, HOST: settings.host, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    everyChild.add(spawned);
    exited = new Promise((resolve) =>
      spawned.once('exit', (code, signal) => {
        everyChild.delete(spawned);
        resolve(code ?? signal);
      }),
    );
    for (const stream of [spawned.stdout, spawned.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        recentOutput.push(line);
        if (recentOutput.length > 20) recentOutput.shift();
        settings.onOutput?.(name, line);
      });
    }
    await untilHealthy(name, origin, exited, () => recentOutput.join('\n')).catch(async (error: unknown) => {
      spawned.kill('SIGKILL');
      await exited;
      throw error;
    });
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child?.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  await start();
  return {
    name,
    origin,
    url: `${origin}/graphql`,
    get running() {
      return !!child && child.exitCode === null && child.signalCode === null;
    },
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

/** 0 or none: a port free now, kept across the service's restarts. */
function portOrFree(port: number | undefined, host: string): Promise<number> {
  return port === undefined || port === 0 ? freePortOn(host) : Promise.resolve(port);
}

/** Resolves once `origin` answers GET /health; rejects when the process exits first or takes too long. */
async function untilHealthy(name: string, origin: string, exited: Promise<unknown>, output: () => string): Promise<void> {
  const state = { gone: false };
  void exited.then(() => (state.gone = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!state.gone && Date.now() < deadline) {
    const healthy = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const why = state.gone ? `exited with ${String(await exited)} before it answered` : `did not answer within ${START_TIMEOUT_MS / 1000} s`;
  throw new Error(`The ${name} process ${why} on ${origin}/health. Its last lines:\n${output() || '(none)'}`);
}

/**
 * Every service at once: their ports are chosen first, so each knows where the others will be (the
 * subgraphs fetch the users service's token keys when a token comes, the gateways reach the
 * subgraphs when a request comes), and a start costs the slowest process's, not their sum.
 */
export async function startStackProcesses(options: StackProcessOptions): Promise<StackProcesses> {
  const host = options.host ?? '127.0.0.1';
  const starting: Promise<ServiceProcess>[] = [];
  const stop = async () => {
    const started = (await Promise.allSettled(starting)).flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    // The gateways first, so that none sees a subgraph go away while it drains.
    await Promise.all(started.filter((service) => service.name.startsWith('gateway')).map((service) => service.stop()));
    await Promise.all(started.map((service) => service.stop()));
  };
  const startOne = (name: string, entry: string, env: NodeJS.ProcessEnv, port: number) => {
    const service = startServiceProcess(name, entry, { host, port, env, onOutput: options.onOutput });
    starting.push(service);
    return service;
  };
  try {
    const ports = Object.fromEntries(
      await Promise.all(SUBGRAPHS.map(async ({ name }) => [name, await portOrFree(options.subgraphPorts?.[name], host)] as const)),
    ) as Record<SubgraphName, number>;
    const urlOf = (name: SubgraphName) => `http://${host}:${ports[name]}/graphql`;
    const env = {
      ...options.env,
      ...databaseUrlEnv(options.databaseUrls),
      AUTH_JWKS_URL: `http://${host}:${ports.users}${JWKS_PATH}`,
      ...Object.fromEntries(SUBGRAPHS.map(({ name, env: variables }) => [variables.routingUrl, urlOf(name)])),
    };
    const subgraphs = Object.fromEntries(SUBGRAPHS.map(({ name, main }) => [name, startOne(name, main, env, ports[name])]));
    const gateways = Array.from({ length: options.gatewayReplicas ?? 1 }, (_, index) =>
      startOne(`gateway-${index + 1}`, GATEWAY_MAIN, { ...env, ...options.gatewayEnv?.(index + 1) }, 0),
    );
    // Every one settles before a failure is reported, so that stop() finds them all.
    const settled = await Promise.allSettled(starting);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return {
      subgraphs: Object.fromEntries(await Promise.all(Object.entries(subgraphs).map(async ([name, service]) => [name, await service]))) as Record<
        SubgraphName,
        ServiceProcess
      >,
      gateways: await Promise.all(gateways),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
