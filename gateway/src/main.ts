// Runs the gateway on its own: SUPERGRAPH_PATH (default supergraph.graphql), PORT (default 4000),
// HOST (default 0.0.0.0), each subgraph's routing URL variable (USERS_URL, POSTS_URL, ORDERS_URL:
// see subgraphs/manifest.ts) to override the subgraph URLs written in the supergraph,
// CORS_ORIGINS (comma-separated) for browser apps on other origins, and GATEWAY_WORKERS to run
// that many processes on one port (node:cluster), one per core.
import cluster from 'node:cluster';
import { startTracing } from '#lib/service/tracing.ts';
import { SUBGRAPHS } from '../../subgraphs/manifest.ts';
import { readSupergraph, startGateway } from './gateway.ts';

const workers = Number(process.env.GATEWAY_WORKERS ?? 1);

async function serve() {
  const tracing = startTracing('gateway');
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.flatMap(({ name, env }) => {
      const url = process.env[env.routingUrl];
      return url ? [[name, url]] : [];
    }),
  );
  const gateway = await startGateway({
    port: Number(process.env.PORT ?? 4000),
    host: process.env.HOST ?? '0.0.0.0',
    supergraphSdl: readSupergraph(process.env.SUPERGRAPH_PATH ?? 'supergraph.graphql'),
    subgraphUrls,
    corsOrigins: process.env.CORS_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void gateway.close().then(() => tracing?.shutdown()).then(() => process.exit(0)));
  }
}

// The primary only forks, restarts crashed workers, and passes SIGTERM on so each one drains.
// Each worker keeps its own in-memory state: set REDIS_URL so that rate limits are shared.
function supervise() {
  let stopping = false;
  for (let index = 0; index < workers; index++) cluster.fork();
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

if (!Number.isInteger(workers) || workers < 1) {
  console.error(`GATEWAY_WORKERS must be a positive integer (got "${process.env.GATEWAY_WORKERS}").`);
  process.exit(2);
}
if (workers > 1 && cluster.isPrimary) supervise();
else await serve();
