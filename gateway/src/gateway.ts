// The front door: Apollo Gateway serving a composed supergraph over real HTTP to the subgraphs.
import { readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { SUBGRAPHS } from './compose.ts';
import { compactJson, createHttpServer, drainPlugin, serveGraphQL, type RunningService } from '../../lib/http.ts';
import { createLogger } from '../../lib/logger.ts';
import { SQL_DEBUG_HEADER, sqlDebugAllowed } from '../../lib/subgraph.ts';

export interface GatewayOptions {
  port: number;
  host?: string;
  /** The supergraph SDL to serve (the contents of `supergraph.graphql`). */
  supergraphSdl: string;
  /** Where each subgraph really listens, when not at the URL written in the supergraph. */
  subgraphUrls?: Partial<Record<string, string>>;
}

export interface GatewayContext {
  /** The client asked for SQL statement counts (`x-debug-sql: 1`, outside production). */
  debugSql: boolean;
  /** Statements each subgraph reported for this operation. */
  sqlStatements: Record<string, number>;
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

class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly subgraphName: string,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (context.debugSql) request.http?.headers.set(SQL_DEBUG_HEADER, '1');
  }

  override didReceiveResponse({ response, context }: Parameters<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse'] & object>[0]) {
    const statements = response.extensions?.sqlStatements;
    if (context.debugSql && typeof statements === 'number') {
      context.sqlStatements[this.subgraphName] = (context.sqlStatements[this.subgraphName] ?? 0) + statements;
    }
    return response;
  }
}

const sqlStatementsPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart({ contextValue }) {
    if (!contextValue.debugSql) return;
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, sqlStatements: contextValue.sqlStatements };
      },
    };
  },
};

export async function startGateway(options: GatewayOptions): Promise<RunningService> {
  const logger = createLogger('gateway');
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    buildService: ({ name, url }) => new SubgraphDataSource(options.subgraphUrls?.[name] ?? url!, name),
  });
  const httpServer = createHttpServer();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [drainPlugin(httpServer), sqlStatementsPlugin],
    logger,
    stringifyResult: compactJson,
  });
  return serveGraphQL(httpServer, {
    name: 'gateway',
    port: options.port,
    host: options.host,
    logger,
    apollo,
    context: async ({ req }) => ({
      debugSql: sqlDebugAllowed() && req.headers[SQL_DEBUG_HEADER] === '1',
      sqlStatements: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, 0])),
    }),
  });
}
