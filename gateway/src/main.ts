// Runs the gateway on its own: SUPERGRAPH_PATH (default supergraph.graphql, watched) or
// SUPERGRAPH_URL (polled), PORT (default 4000),
// HOST (default 0.0.0.0), each subgraph's routing URL variable (USERS_URL, POSTS_URL, ORDERS_URL:
// see subgraphs/manifest.ts) to override the subgraph URLs written in the supergraph,
// CORS_ORIGINS (comma-separated) for browser apps on other origins, and GATEWAY_WORKERS to run
// that many processes on one port (node:cluster), one per core.
import cluster from 'node:cluster';
import { environmentOrExit } from '#lib/service/env.ts';
import { explainListenError } from '#lib/service/ports.ts';
import { exitOnStartupError } from '#lib/service/startup-errors.ts';
import { startTracing } from '#lib/service/tracing.ts';
import { SUBGRAPHS } from '../../subgraphs/manifest.ts';
import { startGateway } from './gateway.ts';
import { supergraphSourceFromEnv } from './supergraph-source.ts';

const env = environmentOrExit();

async function serve() {
  const tracing = startTracing('gateway');
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.flatMap(({ name, env: variables }) => {
      const url = env[variables.routingUrl];
      return url ? [[name, url]] : [];
    }),
  );
  const address = { port: env.PORT ?? 4000, host: env.HOST ?? '0.0.0.0' };
  const gateway = await startGateway({
    ...address,
    supergraphSdl: supergraphSourceFromEnv(),
    subgraphUrls,
    corsOrigins: env.CORS_ORIGINS,
  }).catch((error: unknown) => exitOnStartupError(explainListenError(error, { service: 'gateway', ...address, variable: 'PORT' })));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(
      signal,
      () =>
        void gateway
          .close()
          .then(() => tracing?.shutdown())
          .then(() => process.exit(0)),
    );
  }
}

// The primary only forks, restarts crashed workers, and passes SIGTERM on so each one drains.
// Each worker keeps its own in-memory state: set REDIS_URL so that rate limits are shared.
function supervise() {
  let stopping = false;
  for (let index = 0; index < env.GATEWAY_WORKERS; index++) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      console.error(`gateway worker ${worker.process.pid} exited with ${code}; starting another`);
      cluster.fork();
    } else if (Object.keys(cluster.workers ?? {}).length === 0) {
      process.exit(0);
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    });
  }
}

if (env.GATEWAY_WORKERS > 1 && cluster.isPrimary) supervise();
else await serve();
