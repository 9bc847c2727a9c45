// The whole stack in one process: databases (embedded or configured), migrations, demo seed,
// the subgraphs of subgraphs/manifest.ts and the gateway, each on its own port with real HTTP
// between them, and optionally the built web app.
import path from 'node:path';
import { readSupergraph, startGateway, type GatewayOptions } from '../gateway/src/gateway.ts';
import type { RunningService } from '#lib/service/http.ts';
import { explainListenError, type ListenAddress } from '#lib/service/ports.ts';
import { openDatabases, type DatabaseOptions, type Databases } from '../prisma/postgres.ts';
import { migrateDatabases } from '../prisma/schema-engine.ts';
import { startSubgraph } from '#lib/subgraph/service.ts';
import { demoDataRefusal, SCALES, seedDatabases } from '../prisma/seed.ts';
import { loadSubgraph } from '../subgraphs/load-subgraph.ts';
import { SUBGRAPHS, type SubgraphEntry, type SubgraphName } from '../subgraphs/manifest.ts';
import { JWKS_PATH } from '../subgraphs/users/src/subgraph.ts';
import { authSettingsFromEnv } from '#lib/service/auth.ts';
import { startWebApp, type RunningWebApp } from '../web/server.ts';
import type { LimitSettings } from '../gateway/src/limits/settings.ts';
import { trustedDocumentSettingsFromEnv, type TrustedDocumentSettings } from '../gateway/src/trusted-documents/settings.ts';
import { publishWebAppManifest } from '../documents/manifest.ts';

type Ports<Name extends string> = Record<'gateway' | Name, number>;

export const DEFAULT_PORTS: Ports<SubgraphName> = {
  gateway: 4000,
  ...(Object.fromEntries(SUBGRAPHS.map(({ name, port }) => [name, port])) as Record<SubgraphName, number>),
};

/** Where the stack's services listen, each with the variable that sets its port under npm start. */
export function stackAddresses(options: { ports: Ports<SubgraphName>; host?: string; webPort?: number }): ListenAddress[] {
  const host = options.host ?? '127.0.0.1';
  return [
    { service: 'gateway', host, port: options.ports.gateway, variable: 'GATEWAY_PORT' },
    ...SUBGRAPHS.map(({ name, env }) => ({ service: `${name} subgraph`, host, port: options.ports[name], variable: env.port })),
    ...(options.webPort === undefined ? [] : [{ service: 'web app', host, port: options.webPort, variable: 'WEB_PORT' }]),
  ];
}

/** Port 0 for the gateway and every subgraph: each picks a free one (the tests and benchmarks do). */
export function freePorts<Extra extends string = never>(subgraphs: readonly SubgraphEntry<SubgraphName | Extra>[] = SUBGRAPHS): Ports<SubgraphName | Extra> {
  return { gateway: 0, ...(Object.fromEntries(subgraphs.map(({ name }) => [name, 0])) as Record<SubgraphName | Extra, number>) };
}

// `Extra`: the names of subgraphs that a test runs beside the manifest's own.
export interface StackOptions<Extra extends string = never> {
  /** The subgraphs to run, in start-up order (default: subgraphs/manifest.ts). */
  subgraphs?: readonly SubgraphEntry<SubgraphName | Extra>[];
  /** Ports to listen on, by service; 0 picks a free one. Default: the gateway's 4000 and each subgraph's own. */
  ports?: Partial<Ports<SubgraphName | NoInfer<Extra>>>;
  host?: string;
  supergraphPath?: string;
  database?: DatabaseOptions;
  /** DataLoader batching in the subgraphs; false is the naive build (default: NAIVE_RESOLVERS). */
  batchLoads?: boolean;
  /** Browser origins the gateway lets call it, besides the web app's own. */
  corsOrigins?: string[];
  /**
   * Serve the built web app (web/dist) on this port (0 picks a free one); its origins may call the
   * gateway. `build`: web/dist's build, when it still runs (the page follows once it is done).
   */
  web?: { port: number; build?: Promise<void> };
  /** The gateway's limits (default: from the environment; false: none, for benchmarks). */
  limits?: LimitSettings | false;
  /** The gateway's trusted documents (default: from the environment); the web app's are published to its registry first. */
  trustedDocuments?: TrustedDocumentSettings | false;
  /** Seed the demo data when the databases are empty (default true; never in production unless SEED_DEMO_DATA=true). */
  seed?: boolean;
  log?: (line: string) => void;
}

export interface Stack<Extra extends string = never> {
  gateway: RunningService;
  subgraphs: Record<SubgraphName | Extra, RunningService>;
  web?: RunningWebApp;
  databases: Databases<SubgraphName | Extra>;
  stop(): Promise<void>;
}

/**
 * The databases a start serves (embedded or configured), with pending migrations applied and, when
 * they are empty and `seed` is not false, the demo data (never in production unless SEED_DEMO_DATA=true).
 */
export async function prepareDatabases<Extra extends string = never>(
  options: Pick<StackOptions<Extra>, 'subgraphs' | 'database' | 'seed' | 'log'> = {},
): Promise<Databases<SubgraphName | Extra>> {
  const log = options.log ?? (() => {});
  const subgraphs = options.subgraphs ?? SUBGRAPHS;
  const databases = await openDatabases({ log, ...options.database }, subgraphs);
  try {
    const migrated = await migrateDatabases(databases.urls, subgraphs);
    for (const [service, applied] of Object.entries(migrated)) {
      if (applied.length) log(`${service}: applied migrations ${applied.join(', ')}`);
    }
    if (options.seed ?? true) {
      const refusal = demoDataRefusal();
      if (refusal) log(refusal);
      else await seedDatabases(databases.urls, { scale: SCALES.demo, log });
    }
    return databases;
  } catch (error) {
    await databases.stop();
    throw error;
  }
}

export async function startStack<Extra extends string = never>(options: StackOptions<Extra> = {}): Promise<Stack<Extra>> {
  const subgraphs = options.subgraphs ?? SUBGRAPHS;
  const ports: Partial<Ports<SubgraphName | Extra>> = options.ports ?? {};
  const databases = await prepareDatabases(options);
  const started: { close(): Promise<void> }[] = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.close();
    await databases.stop();
  };
  try {
    const running = {} as Record<SubgraphName | Extra, RunningService>;
    const host = options.host ?? '127.0.0.1';
    // A port taken since start.ts checked them all: named as that check names it.
    const explained = (service: string, port: number, variable: string) => (error: unknown) => {
      throw explainListenError(error, { service, host, port, variable });
    };
    // The users service publishes the token keys; the others find them at its actual address.
    let auth = authSettingsFromEnv();
    for (const subgraph of subgraphs) {
      const createSubgraph = await loadSubgraph(subgraph);
      const port = ports[subgraph.name] ?? subgraph.port;
      const service = await startSubgraph(createSubgraph(databases.urls[subgraph.name], auth), {
        port,
        host: options.host,
        batchLoads: options.batchLoads,
      }).catch(explained(`${subgraph.name} subgraph`, port, subgraph.env.port));
      running[subgraph.name] = service;
      started.push(service);
      if (subgraph.name === 'users') auth = { ...auth, jwksUrl: new URL(JWKS_PATH, service.url).toString() };
    }
    // The web app first: the gateway needs its origins, and the page asks for the gateway's URL
    // only once both listen.
    let gatewayUrl = '';
    const web =
      options.web &&
      (await startWebApp({ port: options.web.port, host: options.host, graphqlUrl: () => gatewayUrl, build: options.web.build }).catch(
        explained('web app', options.web.port, 'WEB_PORT'),
      ));
    if (web) started.push(web);
    const corsOrigins = [...(options.corsOrigins ?? []), ...(web?.origins ?? [])];
    const supergraphPath = path.resolve(options.supergraphPath ?? 'supergraph.graphql');
    const gatewayPort = ports.gateway ?? DEFAULT_PORTS.gateway;
    // The web app sends the ids of its documents only: registered before the gateway serves it
    // (as Compose's one-shot documents:publish does), which is idempotent from the second start on.
    const trustedDocuments = options.trustedDocuments ?? trustedDocumentSettingsFromEnv();
    if (trustedDocuments) await publishWebAppManifest(trustedDocuments.registry);
    const gateway = await startGateway({
      port: gatewayPort,
      host: options.host,
      supergraphSdl: readSupergraph(supergraphPath),
      subgraphUrls: subgraphUrlsOf({ subgraphs: running }),
      subgraphsInProcess: Object.keys(running),
      auth,
      corsOrigins: corsOrigins.length ? corsOrigins : undefined,
      webAppUrl: web?.url,
      limits: options.limits,
      trustedDocuments,
    }).catch(explained('gateway', gatewayPort, 'GATEWAY_PORT'));
    started.push(gateway);
    gatewayUrl = gateway.url;
    return { gateway, subgraphs: running, web, databases, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Where each of a stack's subgraphs listens, by name: what a gateway in front of them is given. */
export function subgraphUrlsOf(stack: { subgraphs: Readonly<Record<string, RunningService>> }): Record<string, string> {
  return Object.fromEntries(Object.entries(stack.subgraphs).map(([name, service]) => [name, service.url]));
}

/** Another gateway in front of a running stack's subgraphs, with settings of its own. */
export function startExtraGateway(stack: Stack, options: Partial<GatewayOptions> = {}): Promise<RunningService> {
  return startGateway({
    port: 0,
    supergraphSdl: readSupergraph(path.resolve('supergraph.graphql')),
    subgraphUrls: subgraphUrlsOf(stack),
    subgraphsInProcess: Object.keys(stack.subgraphs),
    auth: { ...authSettingsFromEnv(), jwksUrl: new URL(JWKS_PATH, stack.subgraphs.users.url).toString() },
    ...options,
  });
}
