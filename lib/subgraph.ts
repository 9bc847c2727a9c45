// What every subgraph shares: its SDL file as the schema, Apollo Server with the federation
// subgraph schema, and a fresh context (with fresh loaders) for each request.
import { readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { compactJson, createHttpServer, drainPlugin, serveGraphQL, type RunningService } from './http.ts';
import type { LoaderSettings } from './loaders.ts';
import { createLogger } from './logger.ts';
import { countStatements, type StatementCounter } from './sql-statements.ts';

export interface SubgraphOptions {
  port: number;
  host?: string;
  /** DataLoader batching; off only for the naive build. Default: on unless NAIVE_RESOLVERS=true. */
  batchLoads?: boolean;
}

export function batchLoadsFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NAIVE_RESOLVERS !== 'true';
}

/** Outside production, a request with `x-debug-sql: 1` gets `extensions.sqlStatements`. */
export function sqlDebugAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production';
}

export const SQL_DEBUG_HEADER = 'x-debug-sql';

export interface SubgraphDefinition {
  name: string;
  /** The subgraph's `schema.graphql`: the contract, kept in SDL. */
  schemaFile: URL;
  resolvers: GraphQLResolverMap<object>;
  /** A new context, with new loaders, for each request. */
  createContext(settings: LoaderSettings, statements: StatementCounter): object;
  /** Releases the database pool once the server has drained. */
  close(): Promise<void>;
}

/** What every subgraph's resolvers receive: its database and loaders made for this request. */
export interface SubgraphContext<Database, Loaders> {
  db: Database;
  loaders: Loaders;
  /** The SQL statements this request has run so far. */
  statements: StatementCounter;
}

interface Disconnectable {
  $disconnect(): Promise<void>;
}

/** Declares a subgraph; the result opens its database when called with the database URL. */
export function defineSubgraph<Database extends Disconnectable, Loaders>(spec: {
  name: string;
  schemaFile: URL;
  resolvers: object;
  connect(databaseUrl: string): Database;
  createLoaders(db: Database, settings: LoaderSettings): Loaders;
}): (databaseUrl: string) => SubgraphDefinition {
  return (databaseUrl) => {
    const db = spec.connect(databaseUrl);
    return {
      name: spec.name,
      schemaFile: spec.schemaFile,
      // Codegen's resolver types are stricter than, but shaped like, Apollo's resolver map.
      resolvers: spec.resolvers as GraphQLResolverMap<object>,
      createContext: (settings, statements): SubgraphContext<Database, Loaders> => ({
        db,
        loaders: spec.createLoaders(db, settings),
        statements,
      }),
      close: () => db.$disconnect(),
    };
  };
}

export function loadTypeDefs(schemaFile: URL) {
  return parse(readFileSync(schemaFile, 'utf8'));
}

interface RequestContext {
  statements: StatementCounter;
}

const sqlStatementsPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart({ request }) {
    if (!sqlDebugAllowed() || request.http?.headers.get(SQL_DEBUG_HEADER) !== '1') return;
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, sqlStatements: contextValue.statements.count };
      },
    };
  },
};

export async function startSubgraph(
  definition: SubgraphDefinition,
  options: SubgraphOptions,
): Promise<RunningService> {
  const logger = createLogger(definition.name);
  const httpServer = createHttpServer();
  const settings: LoaderSettings = { batch: options.batchLoads ?? batchLoadsFromEnv() };
  const apollo = new ApolloServer<RequestContext>({
    schema: buildSubgraphSchema([{ typeDefs: loadTypeDefs(definition.schemaFile), resolvers: definition.resolvers }]),
    plugins: [drainPlugin(httpServer), sqlStatementsPlugin],
    logger,
    stringifyResult: compactJson,
  });
  const service = await serveGraphQL(httpServer, {
    name: definition.name,
    port: options.port,
    host: options.host,
    logger,
    apollo,
    // Entered after the body is parsed: the parser's stream events would not carry the counter.
    // Only for requests that ask: AsyncLocalStorage costs every promise a hook once it is in use.
    beforeGraphQL: (request, response, next) => {
      const statements: StatementCounter = { count: 0 };
      response.locals.statements = statements;
      if (sqlDebugAllowed() && request.headers[SQL_DEBUG_HEADER] === '1') countStatements(statements, next);
      else next();
    },
    context: async ({ res }) => {
      const statements = res.locals.statements as StatementCounter;
      return { ...definition.createContext(settings, statements), statements };
    },
  });
  return {
    ...service,
    close: async () => {
      await service.close();
      await definition.close();
    },
  };
}

/**
 * The entry point of one subgraph run on its own (a container): configuration from the
 * environment, graceful stop on SIGTERM and SIGINT.
 */
export async function runSubgraphFromEnv(
  createDefinition: (databaseUrl: string) => SubgraphDefinition,
  databaseUrlVariable: string,
  defaultPort: number,
): Promise<void> {
  const databaseUrl = process.env[databaseUrlVariable];
  if (!databaseUrl) {
    console.error(`${databaseUrlVariable} is not set: this subgraph needs its PostgreSQL database URL.`);
    process.exit(2);
  }
  const service = await startSubgraph(createDefinition(databaseUrl), {
    port: Number(process.env.PORT ?? defaultPort),
    host: process.env.HOST ?? '0.0.0.0',
    batchLoads: batchLoadsFromEnv(),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void service.close().then(() => process.exit(0)));
  }
}
