// What every subgraph shares: its SDL file as the schema, Apollo Server with the federation
// subgraph schema, the caller verified from its access token, and a fresh context (with fresh
// loaders) for each request.
import { readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse as parseCookies } from 'cookie';
import type { Express, Request, Response } from 'express';
import { parse } from 'graphql';
import type { JWTVerifyGetKey } from 'jose';
import { authSettingsFromEnv, createAccessTokenVerifier, type AccessTokenVerifier, type AuthSettings, type Viewer } from '#lib/service/auth.ts';
import { environment, environmentOrExit, isProduction, subgraphDatabaseUrl, type EnvironmentSource } from '#lib/service/env.ts';
import { enforceAuthorizationDirectives } from './authorization.ts';
import { refuseMalformedRepresentations } from './entity-representations.ts';
import {
  checkDependency,
  compactJson,
  createHttpServer,
  drainPlugin,
  landingPagePlugins,
  clientErrorsPlugin,
  serveGraphQL,
  type RunningService,
} from '#lib/service/http.ts';
import type { LoaderSettings } from './loaders.ts';
import { createLogger } from '#lib/service/logger.ts';
import { operationMetricsPlugin } from '#lib/service/metrics.ts';
import { refuseNulCharactersPlugin } from '#lib/service/nul-characters.ts';
import { SQL_DEBUG_HEADER, wantsSqlCounts } from '#lib/service/sql-debug.ts';
import { countStatements, type StatementCounter } from './sql-statements.ts';
import { subgraphLimitsFromEnv, subgraphLimitsPlugin } from './limits.ts';
import { startTracing } from '#lib/service/tracing.ts';
import { explainListenError } from '#lib/service/ports.ts';
import { exitOnStartupError } from '#lib/service/startup-errors.ts';

export interface SubgraphOptions {
  port: number;
  host?: string;
  /** DataLoader batching; off only for the naive build. Default: on unless NAIVE_RESOLVERS=true. */
  batchLoads?: boolean;
}

function batchLoadsFromEnv(source?: EnvironmentSource): boolean {
  return environment(source).NAIVE_RESOLVERS !== 'true';
}

/** The HTTP exchange, for the few resolvers that use cookies (the refresh-token cookie). */
interface HttpExchange {
  cookies: Record<string, string | undefined>;
  setCookie(serialized: string): void;
}

interface RequestScope {
  loaderSettings: LoaderSettings;
  statements: StatementCounter;
  viewer: Viewer | null;
  http: HttpExchange;
}

export interface SubgraphDefinition {
  name: string;
  /** The subgraph's `schema.graphql`: the contract, kept in SDL. */
  schemaFile: URL;
  resolvers: GraphQLResolverMap<object>;
  auth: AuthSettings;
  /** Keys to verify access tokens with, when the service holds them (the users service). */
  verificationKeys?: JWTVerifyGetKey;
  /** Routes beside /graphql (the JWKS document, REST equivalents), with the service's own verifier. */
  routes?(app: Express, verifyAccessToken: AccessTokenVerifier): void;
  /** A new context, with new loaders, for each request. */
  createContext(scope: RequestScope): object;
  /** Whether the database answers, for GET /ready. */
  checkDatabase(signal: AbortSignal): Promise<unknown>;
  /** Starts the service's periodic work, if it has any; returns what stops it. */
  startJobs?(): () => Promise<void>;
  /** Releases the database pool once the server has drained. */
  close(): Promise<void>;
}

/** What every subgraph's resolvers receive: made for this request, plus the service's own parts. */
export type SubgraphContext<Database, Loaders, Services = unknown> = {
  db: Database;
  loaders: Loaders;
  /** Who is asking: null for an anonymous request (a bad token never gets this far). */
  viewer: Viewer | null;
  /** The SQL statements this request has run so far. */
  statements: StatementCounter;
  http: HttpExchange;
} & Services;

interface Disconnectable {
  $disconnect(): Promise<void>;
  $queryRawUnsafe(sql: string): Promise<unknown>;
}

/** Declares a subgraph; the result opens its database when called with the database URL. */
export function defineSubgraph<Database extends Disconnectable, Services extends object = object>(spec: {
  name: string;
  schemaFile: URL;
  resolvers: object;
  connect(databaseUrl: string): Database;
  createLoaders(db: Database, settings: LoaderSettings): unknown;
  /** Made once per process and shared by every request (signing keys, say). */
  createServices?(db: Database, auth: AuthSettings): Services;
  /** Routes beside /graphql; they get the service's parts, its database and its token verifier. */
  routes?(app: Express, services: Services & { db: Database; verifyAccessToken: AccessTokenVerifier }): void;
  verificationKeys?(services: Services): JWTVerifyGetKey;
  /** Periodic work beside the requests: started with the server, stopped before the database closes. */
  startJobs?(services: Services & { db: Database }): () => Promise<void>;
}): (databaseUrl: string, auth?: AuthSettings) => SubgraphDefinition {
  return (databaseUrl, auth = authSettingsFromEnv()) => {
    const db = spec.connect(databaseUrl);
    const services = (spec.createServices?.(db, auth) ?? {}) as Services;
    return {
      name: spec.name,
      schemaFile: spec.schemaFile,
      // Codegen's resolver types are stricter than, but shaped like, Apollo's resolver map.
      resolvers: spec.resolvers as GraphQLResolverMap<object>,
      auth,
      verificationKeys: spec.verificationKeys?.(services),
      routes: spec.routes && ((app, verifyAccessToken) => spec.routes!(app, { ...services, db, verifyAccessToken })),
      createContext: (scope): SubgraphContext<Database, unknown, Services> => ({
        ...services,
        db,
        loaders: spec.createLoaders(db, scope.loaderSettings),
        viewer: scope.viewer,
        statements: scope.statements,
        http: scope.http,
      }),
      checkDatabase: () => db.$queryRawUnsafe('SELECT 1'),
      startJobs: spec.startJobs && (() => spec.startJobs!({ ...services, db })),
      close: () => db.$disconnect(),
    };
  };
}

function loadTypeDefs(schemaFile: URL) {
  return parse(readFileSync(schemaFile, 'utf8'));
}

interface RequestContext {
  statements: StatementCounter;
}

const sqlStatementsPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart({ request }) {
    if (!wantsSqlCounts(request.http?.headers.get(SQL_DEBUG_HEADER))) return;
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, sqlStatements: contextValue.statements.count };
      },
    };
  },
};

function httpExchange(request: Request, response: Response): HttpExchange {
  return {
    cookies: parseCookies(request.headers.cookie ?? ''),
    setCookie: (serialized) => response.append('Set-Cookie', serialized),
  };
}

export async function startSubgraph(definition: SubgraphDefinition, options: SubgraphOptions): Promise<RunningService> {
  const logger = createLogger(definition.name);
  const httpServer = createHttpServer();
  const loaderSettings: LoaderSettings = { batch: options.batchLoads ?? batchLoadsFromEnv() };
  const verifyAccessToken = createAccessTokenVerifier(definition.auth, definition.verificationKeys);
  const limits = subgraphLimitsFromEnv();
  const schema = buildSubgraphSchema([{ typeDefs: loadTypeDefs(definition.schemaFile), resolvers: definition.resolvers }]);
  const apollo = new ApolloServer<RequestContext>({
    schema: enforceAuthorizationDirectives(refuseMalformedRepresentations(schema)),
    plugins: [
      drainPlugin(httpServer),
      subgraphLimitsPlugin(limits),
      sqlStatementsPlugin,
      operationMetricsPlugin(definition.name),
      refuseNulCharactersPlugin,
      clientErrorsPlugin(logger),
      ...landingPagePlugins(),
    ],
    logger,
    stringifyResult: compactJson,
    parseOptions: { maxLexicalTokens: limits.maxTokens },
    hideSchemaDetailsFromClientErrors: isProduction(),
  });
  const service = await serveGraphQL(httpServer, {
    name: definition.name,
    port: options.port,
    host: options.host,
    logger,
    apollo,
    routes: definition.routes && ((app) => definition.routes!(app, verifyAccessToken)),
    readiness: async () => ({ database: await checkDependency((signal) => definition.checkDatabase(signal)) }),
    // Entered after the body is parsed: the parser's stream events would not carry the counter.
    // Only for requests that ask: AsyncLocalStorage costs every promise a hook once it is in use.
    beforeGraphQL: (request, response, next) => {
      const statements: StatementCounter = { count: 0 };
      response.locals.statements = statements;
      if (wantsSqlCounts(request.headers[SQL_DEBUG_HEADER])) countStatements(statements, next);
      else next();
    },
    context: async ({ req, res }) => {
      const statements = res.locals.statements as StatementCounter;
      const viewer = await verifyAccessToken(req.headers.authorization);
      const scope = { loaderSettings, statements, viewer, http: httpExchange(req, res) };
      return { ...definition.createContext(scope), statements };
    },
  });
  const stopJobs = definition.startJobs?.();
  return {
    ...service,
    close: async () => {
      await service.close();
      await stopJobs?.();
      await definition.close();
    },
  };
}

/**
 * Where a subgraph run on its own listens. Only the gateway has to reach it, and it answers
 * whoever does, so the default is loopback; a container sets HOST=0.0.0.0 for the gateway's
 * container to reach it, on a network that nothing else shares.
 */
export function listenAddressFromEnv(source: EnvironmentSource | undefined, defaultPort: number): { host: string; port: number } {
  const env = environment(source);
  return { host: env.HOST ?? '127.0.0.1', port: env.PORT ?? defaultPort };
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
  environmentOrExit();
  const databaseUrl = subgraphDatabaseUrl(databaseUrlVariable);
  if (!databaseUrl) {
    console.error(`${databaseUrlVariable} is not set: this subgraph needs its PostgreSQL database URL.`);
    process.exit(2);
  }
  const address = listenAddressFromEnv(undefined, defaultPort);
  let service: RunningService;
  let tracing: ReturnType<typeof startTracing>;
  try {
    const definition = createDefinition(databaseUrl);
    tracing = startTracing(definition.name);
    service = await startSubgraph(definition, { ...address, batchLoads: batchLoadsFromEnv() }).catch((error: unknown) => {
      throw explainListenError(error, { service: `${definition.name} subgraph`, ...address, variable: 'PORT' });
    });
  } catch (error) {
    exitOnStartupError(error);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(
      signal,
      () =>
        void service
          .close()
          .then(() => tracing?.shutdown())
          .then(() => process.exit(0)),
    );
  }
}
