// One service of the benchmark's stack in a process of its own, as each runs in production (one
// container each), so that the client, the gateway and each subgraph do not share an event
// loop: `node --import tsx bench/serve-service.ts <users|posts|orders|gateway>`.
// Database URLs, AUTH_JWKS_URL and the gateway's USERS_URL / POSTS_URL / ORDERS_URL come from
// the environment. Prints `{"url": ...}` once it listens; stops on SIGTERM or when stdin closes
// (its parent exited).
import path from 'node:path';
import { SUBGRAPHS } from '../schema/compose.ts';
import { readSupergraph, startGateway } from '../gateway/src/gateway.ts';
import { limitSettingsFromEnv } from '../gateway/src/limits/settings.ts';
import { authSettingsFromEnv } from '#lib/service/auth.ts';
import type { RunningService } from '#lib/service/http.ts';
import { startSubgraph } from '#lib/subgraph/service.ts';
import { serviceUrlVariable } from '../prisma/postgres.ts';
import { ordersSubgraph } from '../subgraphs/orders/src/subgraph.ts';
import { postsSubgraph } from '../subgraphs/posts/src/subgraph.ts';
import { usersSubgraph } from '../subgraphs/users/src/subgraph.ts';

const subgraphs = { users: usersSubgraph, posts: postsSubgraph, orders: ordersSubgraph };
type ServiceName = keyof typeof subgraphs | 'gateway';

async function start(name: ServiceName): Promise<RunningService> {
  const auth = authSettingsFromEnv();
  if (name === 'gateway') {
    return startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphSdl: readSupergraph(path.resolve('supergraph.graphql')),
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map(({ name: subgraph }) => [subgraph, process.env[`${subgraph.toUpperCase()}_URL`]])),
      auth,
      // Every limit stays on but the rate limit: the benchmark is one client sending on purpose.
      limits: { ...limitSettingsFromEnv(), rateLimit: false },
    });
  }
  const databaseUrl = process.env[serviceUrlVariable(name)];
  if (!databaseUrl) throw new Error(`${serviceUrlVariable(name)} is not set.`);
  return startSubgraph(subgraphs[name](databaseUrl, auth), { port: 0, host: '127.0.0.1', batchLoads: true });
}

const name = process.argv[2] as ServiceName;
if (!(name in subgraphs) && name !== 'gateway') {
  console.error(`Usage: serve-service.ts <${[...Object.keys(subgraphs), 'gateway'].join('|')}>`);
  process.exit(2);
}
const service = await start(name);
process.stdout.write(`${JSON.stringify({ url: service.url })}\n`);
const stop = () => void service.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.stdin.on('end', stop).resume();
