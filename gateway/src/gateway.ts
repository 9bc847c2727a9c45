// The front door: Apollo Gateway serving a composed supergraph over real HTTP to the subgraphs.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { Kind, parse, print, visit } from 'graphql';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { SUBGRAPHS } from '../../schema/compose.ts';
import { checkDependency, compactJson, createHttpServer, drainPlugin, isProduction, landingPagePlugins, maskInternalErrorsPlugin, serveGraphQL, type RunningService } from '#lib/service/http.ts';
import { authSettingsFromEnv, createAccessTokenVerifier, type AuthSettings } from '#lib/service/auth.ts';
import { domainError, ErrorCode } from '#lib/service/errors.ts';
import { createLogger } from '#lib/service/logger.ts';
import { operationMetricsPlugin } from '#lib/service/metrics.ts';
import { refuseNulCharactersPlugin } from '#lib/service/nul-characters.ts';
import { resilienceSettingsFromEnv, resilientFetcher, type ResilienceSettings, type ResilientFetcher } from './resilience.ts';
import { cachePlugins, cacheSettingsFromEnv, processThroughEntityCache, type CacheSettings } from './cache/index.ts';
import { limitsPlugin, type LimitsContext } from './limits/plugin.ts';
import { memoryRateLimiter, redisRateLimiter } from './limits/rate-limiter.ts';
import { DEFAULT_LIMITS, limitSettingsFromEnv, type LimitSettings } from './limits/settings.ts';
import { SQL_DEBUG_HEADER, wantsSqlCounts } from '#lib/service/sql-debug.ts';

export interface GatewayOptions {
  port: number;
  host?: string;
  /** The supergraph SDL to serve (the contents of `supergraph.graphql`). */
  supergraphSdl: string;
  /** Where each subgraph really listens, when not at the URL written in the supergraph. */
  subgraphUrls?: Partial<Record<string, string>>;
  auth?: AuthSettings;
  /** Browser origins allowed to call the gateway (the web app's). */
  corsOrigins?: string[];
  /** Depth, cost, document and rate limits (default: from the environment, see README); false for
   *  none at all, only to measure what they cost (bench:limits). */
  limits?: LimitSettings | false;
  /** Shared rate-limit budgets and caches across gateway replicas (default: REDIS_URL). */
  redisUrl?: string;
  /** Namespace of the rate-limit keys in Redis (default: the limits' `rateLimitKeyPrefix`, RATE_LIMIT_KEY_PREFIX). */
  rateLimitKeyPrefix?: string;
  /** Timeouts, retries and circuit breaking towards the subgraphs (default: from the environment). */
  resilience?: ResilienceSettings;
  /** Response and entity caches (default: from the environment, in Redis when there is a Redis
   *  URL, else in memory; see README); false for none. */
  cache?: CacheSettings | false;
  /** Subgraphs running in this process (`npm start`): their mutations reach the in-memory caches
   *  without Redis. Elsewhere the caches need Redis to hear of changes. */
  subgraphsInProcess?: readonly string[];
}

export interface GatewayContext extends LimitsContext {
  /** When the operation must be answered by (its timeout); subgraph fetches stop waiting then. */
  deadline: number;
  /** Verified here first; forwarded as is, for each subgraph to verify again. */
  authorization?: string;
  cookie?: string;
  requestId: string;
  /** A cookie a subgraph set (the refresh token), passed on to the client. */
  setCookie?: string;
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

// Apollo Gateway refuses a supergraph that links a SECURITY feature it cannot enforce. The
// subgraphs enforce them, so the gateway is handed the supergraph without them; the committed
// supergraph.graphql keeps them for Apollo Router.
const SECURITY_DIRECTIVES = new Set(['authenticated', 'requiresScopes', 'policy']);
const SECURITY_FEATURE = /^https:\/\/specs\.apollo\.dev\/(authenticated|requiresScopes|policy)\//;

export function withoutSecurityFeatures(supergraphSdl: string): string {
  const withoutUsages = visit(parse(supergraphSdl), {
    Directive(node) {
      if (SECURITY_DIRECTIVES.has(node.name.value)) return null;
      const url = node.arguments?.find((argument) => argument.name.value === 'url')?.value;
      if (node.name.value === 'link' && url?.kind === Kind.STRING && SECURITY_FEATURE.test(url.value)) return null;
      return undefined;
    },
    DirectiveDefinition(node) {
      return SECURITY_DIRECTIVES.has(node.name.value) ? null : undefined;
    },
    ScalarTypeDefinition(node) {
      return /^(requiresScopes|policy)__/.test(node.name.value) ? null : undefined;
    },
  });
  return print(withoutUsages);
}

class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly subgraphName: string,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const headers = request.http?.headers;
    if (!headers || !('requestId' in context)) return; // the gateway's own health checks
    headers.set('x-request-id', context.requestId);
    if (context.authorization) headers.set('authorization', context.authorization);
    if (context.cookie) headers.set('cookie', context.cookie);
    if (context.debugSql) headers.set(SQL_DEBUG_HEADER, '1');
  }

  /** Entities the cache holds are served from it; only the others are fetched (cache/entity-cache.ts). */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    return processThroughEntityCache(this.subgraphName, options, (fetch) => this.processWithinDeadline(fetch));
  }

  /** Stops waiting for a subgraph when the operation's time is up: the client gets what is ready. */
  private async processWithinDeadline(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const context = options.context;
    if (!('deadline' in context)) return super.process(options);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(domainError(ErrorCode.OperationTimeout, `The ${this.subgraphName} service did not answer within the operation's time limit.`)),
        Math.max(0, context.deadline - Date.now()),
      );
    });
    try {
      return await Promise.race([super.process(options), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  override didReceiveResponse({ response, context }: Parameters<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse'] & object>[0]) {
    const setCookie = response.http?.headers.get('set-cookie');
    if (setCookie) context.setCookie = setCookie;
    const statements = response.extensions?.sqlStatements;
    if (context.debugSql && typeof statements === 'number') {
      context.sqlStatements[this.subgraphName] = (context.sqlStatements[this.subgraphName] ?? 0) + statements;
    }
    return response;
  }
}

/** What the subgraphs sent back beside the data: statement counts and the session cookie. */
const subgraphResponsePlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (contextValue.setCookie) response.http.headers.set('set-cookie', contextValue.setCookie);
        if (!contextValue.debugSql || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, sqlStatements: contextValue.sqlStatements };
      },
    };
  },
};

export async function startGateway(options: GatewayOptions): Promise<RunningService> {
  const logger = createLogger('gateway');
  const resilience = options.resilience ?? resilienceSettingsFromEnv();
  const fetchers: ResilientFetcher[] = [];
  const subgraphUrls = new Map<string, string>();
  const gateway = new ApolloGateway({
    supergraphSdl: withoutSecurityFeatures(options.supergraphSdl),
    logger,
    buildService: ({ name, url }) => {
      const subgraphUrl = options.subgraphUrls?.[name] ?? url!;
      subgraphUrls.set(name, subgraphUrl);
      const resilient = resilientFetcher(name, resilience, logger);
      fetchers.push(resilient);
      return new SubgraphDataSource(subgraphUrl, name, resilient.fetcher);
    },
  });
  const verifyAccessToken = createAccessTokenVerifier(options.auth ?? authSettingsFromEnv());
  const limits = options.limits ?? limitSettingsFromEnv();
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  const rateLimiter = !limits || !limits.rateLimit
    ? null
    : redisUrl
      ? redisRateLimiter(limits.rateLimit, { redisUrl, keyPrefix: options.rateLimitKeyPrefix ?? limits.rateLimitKeyPrefix, logger })
      : memoryRateLimiter(limits.rateLimit);
  const httpServer = createHttpServer();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [
      drainPlugin(httpServer),
      operationMetricsPlugin('gateway'),
      refuseNulCharactersPlugin,
      ...(limits ? [limitsPlugin(limits, rateLimiter)] : []),
      ...cachePlugins(options.cache ?? cacheSettingsFromEnv(process.env, redisUrl), { redisUrl, logger, subgraphsInProcess: options.subgraphsInProcess }),
      subgraphResponsePlugin,
      maskInternalErrorsPlugin(logger),
      ...landingPagePlugins(),
    ],
    logger,
    stringifyResult: compactJson,
    parseOptions: limits ? { maxTokens: limits.maxTokens } : {},
    // No "Did you mean …?" hints that map the schema for a stranger when introspection is off.
    hideSchemaDetailsFromClientErrors: isProduction(),
  });
  const service = await serveGraphQL(httpServer, {
    name: 'gateway',
    port: options.port,
    host: options.host,
    logger,
    apollo,
    corsOrigins: options.corsOrigins,
    // Ready once the supergraph is loaded (it is, by now) and every subgraph answers its /health.
    readiness: async () =>
      Object.fromEntries(
        await Promise.all(
          [...subgraphUrls].map(async ([name, url]) => [
            name,
            await checkDependency(async (signal) => {
              const response = await fetch(new URL('/health', url), { signal });
              if (!response.ok) throw new Error(`GET /health answered ${response.status}`);
            }),
          ]),
        ),
      ),
    context: async ({ req }) => {
      // Rejects a bad token here, before any subgraph is called: UNAUTHENTICATED with HTTP 401.
      const viewer = await verifyAccessToken(req.headers.authorization);
      return {
        viewer,
        clientIp: req.ip ?? 'unknown',
        deadline: Date.now() + (limits ? limits.operationTimeoutMs : DEFAULT_LIMITS.operationTimeoutMs),
        authorization: req.headers.authorization,
        cookie: req.headers.cookie,
        requestId: String(req.id),
        debugSql: wantsSqlCounts(req.headers[SQL_DEBUG_HEADER]),
        sqlStatements: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, 0])),
      };
    },
  });
  return {
    ...service,
    close: async () => {
      await service.close();
      await rateLimiter?.close();
      await Promise.all(fetchers.map((resilient) => resilient.close()));
    },
  };
}
