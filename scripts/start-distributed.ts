// `npm run start:distributed`: the stack as production runs it, on one machine. Each subgraph and
// each gateway replica in a process of its own, the replicas sharing rate limits, caches and
// persisted queries through Redis, behind one address (a small load balancer), on the embedded
// PostgreSQL unless one is configured, as npm start.
import { environmentOrExit, isProduction } from '#lib/service/env.ts';
import { ensurePortsFree } from '#lib/service/ports.ts';
import { connectedWithin, failFastRedis } from '#lib/service/redis.ts';
import { exitOnStartupError, optionsOrExit, StartupError } from '#lib/service/startup-errors.ts';
import { stopOnSignals } from '../prisma/embedded-postgres.ts';
import { SUBGRAPHS } from '../subgraphs/manifest.ts';
import { loadSigningKeys } from '../subgraphs/users/src/signing-keys.ts';
import { startLoadBalancer } from './load-balancer.ts';
import { serviceLines, type ServiceAddress } from './running-start.ts';
import { DEFAULT_PORTS, prepareDatabases, stackAddresses } from './stack.ts';
import { startStackProcesses } from './stack-processes.ts';

const HELP = `Usage: REDIS_URL=redis://127.0.0.1:6379 npm run start:distributed [-- [--replicas <n>] [--no-seed]]

Runs each subgraph and each gateway replica in a process of its own, as containers do, with
real HTTP between them. The replicas share rate-limit budgets, the response and entity caches
and persisted queries through Redis: REDIS_URL is required. One address balances over the
replicas that are ready:
  gateway  http://localhost:${DEFAULT_PORTS.gateway}/graphql  (GATEWAY_PORT; each replica on a free port)
${SUBGRAPHS.map(({ name, port, env }) => `  ${name.padEnd(9)}http://localhost:${port}/graphql  (${env.port})`).join('\n')}
Databases as with npm start: the embedded PostgreSQL under .data/postgres unless DATABASE_URL or
the per-service URLs are set, migrated, and seeded with demo data when empty. No web app.
Ctrl-C (or SIGTERM) stops everything: the gateways drain first, PostgreSQL stops last.

  --replicas <n>  gateway replicas (default 2)
  --no-seed       leave empty databases empty
  -h, --help      show this text

See docs/operations.md, "Distributed on one machine"; every variable is in docs/configuration.md.`;

const { values } = optionsOrExit(
  {
    options: {
      replicas: { type: 'string', default: '2' },
      'no-seed': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  'npm run start:distributed',
  HELP,
);

process.env.LOG_LEVEL ??= 'warn';
const env = environmentOrExit();
const startedAt = Date.now();
const replicas = Number(values.replicas);
const host = env.HOST ?? '127.0.0.1';
const ports = {
  gateway: env.GATEWAY_PORT ?? DEFAULT_PORTS.gateway,
  ...Object.fromEntries(SUBGRAPHS.map(({ name, port, env: variables }) => [name, env[variables.port] ?? port])),
} as typeof DEFAULT_PORTS;

try {
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 16) {
    throw new StartupError(`--replicas must be a whole number from 1 to 16 (got "${values.replicas}").`);
  }
  const redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    throw new StartupError(
      'npm run start:distributed needs Redis: its gateway replicas share rate limits, caches and persisted queries there. ' +
        'Set REDIS_URL to a running Redis, e.g. REDIS_URL=redis://127.0.0.1:6379 after `redis-server` or `docker run -p 6379:6379 redis:7`.',
    );
  }
  const redis = failFastRedis(redisUrl, 1_000);
  await connectedWithin(redis, 2_000)
    .catch((error: unknown) => {
      throw new StartupError(`Redis does not answer at REDIS_URL (${redisUrl}): ${(error as Error).message}. Start it, or point REDIS_URL at one that runs.`);
    })
    .finally(() => redis.disconnect());
  await ensurePortsFree(stackAddresses({ ports, host }));
  // Without keys the users service would stop the start half-way, after the databases.
  if (isProduction()) loadSigningKeys();
} catch (error) {
  exitOnStartupError(error);
}

const databases = await prepareDatabases({ seed: !values['no-seed'], log: console.log }).catch(exitOnStartupError);
const services = await startStackProcesses({
  databaseUrls: databases.urls,
  gatewayReplicas: replicas,
  host,
  subgraphPorts: ports,
  // Each service's log lines (LOG_LEVEL, warn by default), named.
  onOutput: (service, line) => console.log(`[${service}] ${line}`),
}).catch(async (error: unknown) => {
  await databases.stop();
  return exitOnStartupError(error);
});
const balancer = await startLoadBalancer({ upstreams: services.gateways.map((gateway) => gateway.origin), port: ports.gateway, host }).catch(
  async (error: unknown) => {
    await services.stop();
    await databases.stop();
    return exitOnStartupError(error);
  },
);

stopOnSignals(async () => {
  await balancer.close();
  await services.stop();
  await databases.stop();
});

const addresses: ServiceAddress[] = [
  { label: 'GraphQL gateway', url: `${balancer.origin}/graphql`, note: `(load balancer over ${replicas} replica${replicas > 1 ? 's' : ''})` },
  ...services.gateways.map((gateway, index) => ({ label: `Gateway ${index + 1}`, url: gateway.url })),
  ...SUBGRAPHS.map(({ name }) => ({ label: `${name} subgraph`, url: services.subgraphs[name].url })),
];
console.log(`
Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s, on ${databases.description}, sharing Redis at ${env.REDIS_URL}.
${serviceLines(addresses)}
Press Ctrl-C to stop.`);
