// Runs the gateway on its own: SUPERGRAPH_PATH (default supergraph.graphql), PORT (default 4000),
// HOST (default 0.0.0.0), USERS_URL / POSTS_URL / ORDERS_URL to override the subgraph URLs
// written in the supergraph, and CORS_ORIGINS (comma-separated) for browser apps on other origins.
import { SUBGRAPHS } from './compose.ts';
import { readSupergraph, startGateway } from './gateway.ts';

const subgraphUrls = Object.fromEntries(
  SUBGRAPHS.flatMap(({ name }) => {
    const url = process.env[`${name.toUpperCase()}_URL`];
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
  process.once(signal, () => void gateway.close().then(() => process.exit(0)));
}
