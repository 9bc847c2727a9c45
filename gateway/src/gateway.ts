// The front door: Apollo Gateway serving a composed supergraph over real HTTP to the subgraphs.
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { createHttpServer, drainPlugin, serveGraphQL, type RunningService } from '../../lib/http.ts';
import { createLogger } from '../../lib/logger.ts';

export interface GatewayOptions {
  port: number;
  host?: string;
  /** The supergraph SDL to serve (the contents of `supergraph.graphql`). */
  supergraphSdl: string;
  /** Where each subgraph really listens, when not at the URL written in the supergraph. */
  subgraphUrls?: Partial<Record<string, string>>;
}

export function readSupergraph(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the supergraph at ${path}. Run \`npm run schema:compose\` to write it.`, {
      cause: error,
    });
  }
}

export async function startGateway(options: GatewayOptions): Promise<RunningService> {
  const logger = createLogger('gateway');
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: options.subgraphUrls?.[name] ?? url }),
  });
  const httpServer = createHttpServer();
  const apollo = new ApolloServer({ gateway, plugins: [drainPlugin(httpServer)], logger });
  return serveGraphQL(httpServer, {
    name: 'gateway',
    port: options.port,
    host: options.host,
    logger,
    apollo,
    context: async () => ({}),
  });
}
