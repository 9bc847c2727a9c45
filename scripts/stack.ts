// The whole stack in one process: databases (embedded or configured), migrations, demo seed,
// the three subgraphs and the gateway, each on its own port with real HTTP between them, and
// optionally the built web app.
import path from 'node:path';
import { readSupergraph, startGateway, type GatewayOptions } from '../gateway/src/gateway.ts';
import type { RunningService } from '#lib/service/http.ts';
import { openDatabases, type DatabaseOptions, type Databases } from '../prisma/postgres.ts';
import { applyMigrations } from '../prisma/schema-engine.ts';
import { startSubgraph } from '#lib/subgraph/service.ts';
import { demoDataRefusal, SCALES, seedDatabases } from '../prisma/seed.ts';
import { SERVICE_NAMES, type ServiceName } from '../prisma/services.ts';
import { ordersSubgraph } from '../subgraphs/orders/src/subgraph.ts';
import { postsSubgraph } from '../subgraphs/posts/src/subgraph.ts';
import { JWKS_PATH, usersSubgraph } from '../subgraphs/users/src/subgraph.ts';
import { authSettingsFromEnv } from '#lib/service/auth.ts';
import { startWebApp, type RunningWebApp } from '../web/server.ts';
import type { LimitSettings } from '../gateway/src/limits/settings.ts';

const subgraphs = { users: usersSubgraph, posts: postsSubgraph, orders: ordersSubgraph };

export const DEFAULT_PORTS = { gateway: 4000, users: 4001, posts: 4002, orders: 4003 };

export interface StackOptions {
  /** Ports to listen on; 0 picks a free one (the tests do). */
  ports?: Partial<typeof DEFAULT_PORTS>;
  host?: string;
  supergraphPath?: string;
  database?: DatabaseOptions;
  /** DataLoader batching in the subgraphs; false is the naive build (default: NAIVE_RESOLVERS). */
  batchLoads?: boolean;
  /** Browser origins the gateway lets call it, besides the web app's own. */
  corsOrigins?: string[];
  /** Serve the built web app (web/dist) on this port (0 picks a free one); its origins may call the gateway. */
  web?: { port: number };
  /** The gateway's limits (default: from the environment; false: none, for benchmarks). */
  limits?: LimitSettings | false;
  /** Seed the demo data when the databases are empty (default true; never in production unless SEED_DEMO_DATA=true). */
  seed?: boolean;
  log?: (line: string) => void;
}

export interface Stack {
  gateway: RunningService;
  subgraphs: Record<ServiceName, RunningService>;
  web?: RunningWebApp;
  databases: Databases;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const databases = await openDatabases({ log, ...options.database });
  const started: { close(): Promise<void> }[] = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.close();
    await databases.stop();
  };
  try {
    for (const service of SERVICE_NAMES) {
      const applied = await applyMigrations(service, databases.urls[service]);
      if (applied.length) log(`${service}: applied migrations ${applied.join(', ')}`);
    }
    if (options.seed ?? true) {
      const refusal = demoDataRefusal();
      if (refusal) log(refusal);
      else await seedDatabases(databases.urls, { scale: SCALES.demo, log });
    }
    const running = {} as Record<ServiceName, RunningService>;
    // The users service publishes the token keys; the others find them at its actual address.
    let auth = authSettingsFromEnv();
    for (const service of SERVICE_NAMES) {
      running[service] = await startSubgraph(subgraphs[service](databases.urls[service], auth), {
        port: ports[service],
        host: options.host,
        batchLoads: options.batchLoads,
      });
      started.push(running[service]);
      if (service === 'users') auth = { ...auth, jwksUrl: new URL(JWKS_PATH, running.users.url).toString() };
    }
    // The web app first: the gateway needs its origins, and the page asks for the gateway's URL
    // only once both listen.
    let gatewayUrl = '';
    const web = options.web && (await startWebApp({ port: options.web.port, host: options.host, graphqlUrl: () => gatewayUrl }));
    if (web) started.push(web);
    const corsOrigins = [...(options.corsOrigins ?? []), ...(web?.origins ?? [])];
    const supergraphPath = path.resolve(options.supergraphPath ?? 'supergraph.graphql');
    const gateway = await startGateway({
      port: ports.gateway,
      host: options.host,
      supergraphSdl: readSupergraph(supergraphPath),
      subgraphUrls: Object.fromEntries(SERVICE_NAMES.map((service) => [service, running[service].url])),
      subgraphsInProcess: SERVICE_NAMES,
      auth,
      corsOrigins: corsOrigins.length ? corsOrigins : undefined,
      limits: options.limits,
    });
    started.push(gateway);
    gatewayUrl = gateway.url;
    return { gateway, subgraphs: running, web, databases, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Another gateway in front of a running stack's subgraphs, with settings of its own. */
export function startExtraGateway(stack: Stack, options: Partial<GatewayOptions> = {}): Promise<RunningService> {
  return startGateway({
    port: 0,
    supergraphSdl: readSupergraph(path.resolve('supergraph.graphql')),
    subgraphUrls: Object.fromEntries(SERVICE_NAMES.map((service) => [service, stack.subgraphs[service].url])),
    subgraphsInProcess: SERVICE_NAMES,
    auth: { ...authSettingsFromEnv(), jwksUrl: new URL(JWKS_PATH, stack.subgraphs.users.url).toString() },
    ...options,
  });
}
