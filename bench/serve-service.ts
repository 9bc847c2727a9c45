// One service of the benchmark's stack in a process of its own, as each runs in production (one
// container each), so that the client, the gateway and each subgraph do not share an event
// loop: `node --import tsx bench/serve-service.ts <subgraph name|gateway>`.
// Database URLs, AUTH_JWKS_URL and the gateway's routing URLs (USERS_URL, ...: see
// subgraphs/manifest.ts) come from the environment. Prints `{"url": ...}` once it listens; stops
// on SIGTERM or when stdin closes (its parent exited).
import path from 'node:path';
import { readSupergraph, startGateway } from '../gateway/src/gateway.ts';
import { limitSettingsFromEnv } from '../gateway/src/limits/settings.ts';
import { authSettingsFromEnv } from '#lib/service/auth.ts';
import { environment, subgraphDatabaseUrl } from '#lib/service/env.ts';
import type { RunningService } from '#lib/service/http.ts';
import { startSubgraph } from '#lib/subgraph/service.ts';
import { loadSubgraph } from '../subgraphs/load-subgraph.ts';
import { SUBGRAPHS, subgraphEntry } from '../subgraphs/manifest.ts';

async function start(name: string): Promise<RunningService> {
  const auth = authSettingsFromEnv();
  if (name === 'gateway') {
    return startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphSdl: readSupergraph(path.resolve('supergraph.graphql')),
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((subgraph) => [subgraph.name, environment()[subgraph.env.routingUrl]])),
      auth,
      // Every limit stays on but the rate limit: the benchmark is one client sending on purpose.
      limits: { ...limitSettingsFromEnv(), rateLimit: false },
    });
  }
  const subgraph = subgraphEntry(name);
  const databaseUrl = subgraphDatabaseUrl(subgraph.env.databaseUrl);
  if (!databaseUrl) throw new Error(`${subgraph.env.databaseUrl} is not set.`);
  const createSubgraph = await loadSubgraph(subgraph);
  return startSubgraph(createSubgraph(databaseUrl, auth), { port: 0, host: '127.0.0.1', batchLoads: true });
}

const name = process.argv[2] ?? '';
if (!SUBGRAPHS.some((subgraph) => subgraph.name === name) && name !== 'gateway') {
  console.error(`Usage: serve-service.ts <${[...SUBGRAPHS.map((subgraph) => subgraph.name), 'gateway'].join('|')}>`);
  process.exit(2);
}
const service = await start(name);
process.stdout.write(`${JSON.stringify({ url: service.url })}\n`);
const stop = () => void service.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.stdin.on('end', stop).resume();
