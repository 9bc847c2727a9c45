// What every subgraph shares: its SDL file as the schema, Apollo Server with the federation
// subgraph schema, and a fresh context (with fresh loaders) for each request.
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { createHttpServer, drainPlugin, serveGraphQL, type RunningService } from './http.ts';
import { createLogger } from './logger.ts';

export interface SubgraphOptions {
  port: number;
  host?: string;
}

export interface SubgraphDefinition {
  name: string;
  /** The subgraph's `schema.graphql`: the contract, kept in SDL. */
  schemaFile: URL;
  resolvers: GraphQLResolverMap<object>;
  /** A new context, with new loaders, for each request. */
  createContext(): object;
  /** Releases the database pool once the server has drained. */
  close(): Promise<void>;
}

/** What every subgraph's resolvers receive: its database and loaders made for this request. */
export interface SubgraphContext<Database, Loaders> {
  db: Database;
  loaders: Loaders;
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
  createLoaders(db: Database): Loaders;
}): (databaseUrl: string) => SubgraphDefinition {
  return (databaseUrl) => {
    const db = spec.connect(databaseUrl);
    return {
      name: spec.name,
      schemaFile: spec.schemaFile,
      // Codegen's resolver types are stricter than, but shaped like, Apollo's resolver map.
      resolvers: spec.resolvers as GraphQLResolverMap<object>,
      createContext: (): SubgraphContext<Database, Loaders> => ({ db, loaders: spec.createLoaders(db) }),
      close: () => db.$disconnect(),
    };
  };
}

export function loadTypeDefs(schemaFile: URL) {
  return parse(readFileSync(schemaFile, 'utf8'));
}

export async function startSubgraph(
  definition: SubgraphDefinition,
  options: SubgraphOptions,
): Promise<RunningService> {
  const logger = createLogger(definition.name);
  const httpServer = createHttpServer();
  const apollo = new ApolloServer<object>({
    schema: buildSubgraphSchema([{ typeDefs: loadTypeDefs(definition.schemaFile), resolvers: definition.resolvers }]),
    plugins: [drainPlugin(httpServer)],
    logger,
  });
  const service = await serveGraphQL(httpServer, {
    name: definition.name,
    port: options.port,
    host: options.host,
    logger,
    apollo,
    context: async () => definition.createContext(),
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
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void service.close().then(() => process.exit(0)));
  }
}
