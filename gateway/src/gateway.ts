// The front door: Apollo Gateway serving a composed supergraph over real HTTP to the subgraphs.
// This file only assembles: the upstream units in their order, Apollo Gateway over them, and
// Apollo Server with its plugins.
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import { clientErrorsPlugin, compactJson, createHttpServer, drainPlugin, landingPagePlugins, serveGraphQL, type RunningService } from '#lib/service/http.ts';
import { authSettingsFromEnv, createAccessTokenVerifier, type AuthSettings } from '#lib/service/auth.ts';
import { environment, isProduction } from '#lib/service/env.ts';
import { createLogger, type Logger } from '#lib/service/logger.ts';
import { operationMetricsPlugin } from '#lib/service/metrics.ts';
import { refuseNulCharactersPlugin } from '#lib/service/nul-characters.ts';
import { earlyCacheHits } from './cache/early-hits.ts';
import { cacheSettingsFromEnv, DEFAULT_CACHE, gatewayCaches, type CacheSettings } from './cache/index.ts';
import { redisPersistedQueries } from './cache/persisted-queries.ts';
import { gatewayContext, type GatewayContext } from './context.ts';
import { sandboxLinkingToExplorer, serveExplorer } from './explorer.ts';
import { openDocumentRegistry } from '../../documents/registry.ts';
import { limitsPlugin } from './limits/plugin.ts';
import { liveSupergraph } from './live-supergraph.ts';
import { memoryRateLimiter, redisRateLimiter } from './limits/rate-limiter.ts';
import { DEFAULT_LIMITS, limitSettingsFromEnv, type LimitSettings } from './limits/settings.ts';
import { subgraphsReadiness } from './readiness.ts';
import { serveIndex } from './service-index.ts';
import { fixedSupergraph, type SupergraphSource } from './supergraph-source.ts';
import { subgraphsOf } from './supergraph.ts';
import { trustedDocumentsPlugin } from './trusted-documents/plugin.ts';
import { trustedDocumentSettingsFromEnv, type TrustedDocumentSettings } from './trusted-documents/settings.ts';
import { circuitBreakers } from './upstream/circuit-breaker.ts';
import { collectResponse, subgraphResponsePlugin } from './upstream/collect-response.ts';
import { UpstreamDataSource } from './upstream/data-source.ts';
import { operationDeadline } from './upstream/deadline.ts';
import { dedupeQueries } from './upstream/dedupe.ts';
import { entityCache } from './upstream/entity-cache.ts';
import { fetchMetrics } from './upstream/fetch-metrics.ts';
import { fetchTimeout } from './upstream/fetch-timeout.ts';
import { propagateHeaders } from './upstream/propagate-headers.ts';
import { retryQueries } from './upstream/retry.ts';
import { resilienceSettingsFromEnv, type ResilienceSettings } from './upstream/settings.ts';
import { undiciTransport } from './upstream/transport.ts';
import { compose, type SubgraphCall } from './upstream/types.ts';
import { unavailable } from './upstream/unavailable.ts';

// The entry points (main.ts, scripts/stack.ts, the benchmarks) start the gateway with what it reads.
export { readSupergraph } from './supergraph.ts';

export interface GatewayOptions {
  port: number;
  host?: string;
  /** The supergraph to serve: its SDL (the contents of `supergraph.graphql`), or a source that gives
   *  new ones while the gateway runs (a watched file, a polled URL: see supergraph-source.ts). */
  supergraphSdl: string | SupergraphSource;
  /** Where each subgraph really listens, when not at the URL written in the supergraph. */
  subgraphUrls?: Partial<Record<string, string>>;
  auth?: AuthSettings;
  /** Browser origins allowed to call the gateway (the web app's). */
  corsOrigins?: string[];
  /** The web app's page, listed by the development index at / (npm start serves one). */
  webAppUrl?: string;
  /** Depth, cost, document and rate limits (default: from the environment, see docs/security.md); false for
   *  none at all, only to measure what they cost (bench:limits). */
  limits?: LimitSettings | false;
  /** Shared rate-limit budgets and caches across gateway replicas (default: REDIS_URL). */
  redisUrl?: string;
  /** Namespace of the rate-limit keys in Redis (default: the limits' `rateLimitKeyPrefix`, RATE_LIMIT_KEY_PREFIX). */
  rateLimitKeyPrefix?: string;
  /** Timeouts, retries and circuit breaking towards the subgraphs (default: from the environment, see upstream/settings.ts). */
  resilience?: ResilienceSettings;
  /** Response and entity caches (default: from the environment, in Redis when there is a Redis
   *  URL, else in memory; see docs/caching.md); false for none. */
  cache?: CacheSettings | false;
  /** Subgraphs running in this process (`npm start`): their mutations reach the in-memory caches
   *  without Redis. Elsewhere the caches need Redis to hear of changes. */
  subgraphsInProcess?: readonly string[];
  /** Which documents run, and the registry of the trusted ones (default: from the environment,
   *  see docs/trusted-documents.md); false for no registry (every document runs, no id resolves). */
  trustedDocuments?: TrustedDocumentSettings | false;
}

/**
 * Every subgraph call, outermost first:
 * - the headers first, so that every unit below (the in-flight dedupe keys by them) sees the
 *   call as it will be sent;
 * - the entity cache next: what it holds never reaches the units below, and it asks them for the
 *   missing entities only;
 * - collecting the answer's cookie, SQL counts and Cache-Control below the cache, so that only
 *   real subgraph answers count (a cache hit has none);
 * - the deadline over everything that waits: its signal ends the fetch, the backoff and the retries;
 * - the in-flight dedupe below it and below the collecting, keyed by the final headers: each
 *   operation sharing an answer still collects it, and waits under its own deadline, while the
 *   shared fetch ends only when every operation waiting for it has given up;
 * - SUBGRAPH_UNAVAILABLE once the retries are spent; the retries above the circuit breaker, so
 *   that each attempt counts and an open circuit stops them; the timeout per attempt below the
 *   breaker, so that a timeout counts as a failure; the metrics per attempt, around the transport.
 */
function upstreamPipeline(settings: ResilienceSettings, logger: Logger) {
  const transport = undiciTransport();
  const breakers = circuitBreakers(logger, { failures: settings.breakerFailures, resetMs: settings.breakerResetMs });
  const call: SubgraphCall = compose(
    [
      propagateHeaders(),
      entityCache,
      collectResponse,
      operationDeadline,
      ...(settings.dedupe ? [dedupeQueries()] : []),
      unavailable(logger),
      retryQueries({ retries: settings.retries, backoffMs: settings.retryBackoffMs }),
      breakers.unit,
      fetchTimeout({ timeoutMs: settings.timeoutMs }),
      fetchMetrics,
    ],
    transport.call,
  );
  return {
    call,
    close: async () => {
      breakers.close();
      await transport.close();
    },
  };
}

export async function startGateway(options: GatewayOptions): Promise<RunningService> {
  const logger = createLogger('gateway');
  const upstream = upstreamPipeline(options.resilience ?? resilienceSettingsFromEnv(), logger);
  /** Where each subgraph of the supergraph being served is reached. */
  const subgraphUrls = new Map<string, string>();
  const routingUrl = (name: string, url: string) => options.subgraphUrls?.[name] ?? url;
  // Apollo Gateway reports usage to Apollo unless this variable says no, and reads it itself.
  process.env.APOLLO_TELEMETRY_DISABLED = environment().APOLLO_TELEMETRY === 'on' ? 'false' : 'true';
  const supergraph = liveSupergraph(typeof options.supergraphSdl === 'string' ? fixedSupergraph(options.supergraphSdl) : options.supergraphSdl, { logger });
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.manager,
    logger,
    buildService: ({ name, url }) => new UpstreamDataSource(name, routingUrl(name, url!), upstream.call),
  });
  // Readiness and the SQL counts follow the supergraph being served: a subgraph that a new one
  // drops is no longer checked (Apollo Gateway builds data sources for new subgraphs only).
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    subgraphUrls.clear();
    for (const { name, url } of subgraphsOf(coreSupergraphSdl)) subgraphUrls.set(name, routingUrl(name, url));
  });
  const limits = options.limits ?? limitSettingsFromEnv();
  const redisUrl = options.redisUrl ?? environment().REDIS_URL;
  const rateLimiter =
    !limits || !limits.rateLimit
      ? null
      : redisUrl
        ? redisRateLimiter(limits.rateLimit, { redisUrl, keyPrefix: options.rateLimitKeyPrefix ?? limits.rateLimitKeyPrefix, logger })
        : memoryRateLimiter(limits.rateLimit);
  const cache = options.cache ?? cacheSettingsFromEnv(undefined, redisUrl);
  // Shared by every replica through Redis; else Apollo Server's own, in memory.
  const persistedQueries = redisUrl
    ? redisPersistedQueries({
        redisUrl,
        keyPrefix: cache ? cache.redisKeyPrefix : DEFAULT_CACHE.redisKeyPrefix,
        timeoutMs: cache ? cache.redisTimeoutMs : DEFAULT_CACHE.redisTimeoutMs,
      })
    : undefined;
  const trustedDocuments = options.trustedDocuments ?? trustedDocumentSettingsFromEnv(undefined, redisUrl);
  // One verifier for the context and the early cache hits: a token is verified once for both.
  const verifyAccessToken = createAccessTokenVerifier(options.auth ?? authSettingsFromEnv());
  const caches = gatewayCaches(cache, { redisUrl, logger, subgraphsInProcess: options.subgraphsInProcess });
  const earlyHits =
    cache && cache.responses && cache.earlyHits && caches.cache ? earlyCacheHits({ cache: caches.cache, verifyAccessToken, limits, rateLimiter }) : undefined;
  const httpServer = createHttpServer();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [
      drainPlugin(httpServer),
      // Before any plugin rewrites the request: what early hits know it by.
      ...(earlyHits ? [earlyHits.plugins.recognize] : []),
      operationMetricsPlugin('gateway'),
      refuseNulCharactersPlugin,
      ...(trustedDocuments ? [trustedDocumentsPlugin(trustedDocuments, openDocumentRegistry(trustedDocuments.registry), logger)] : []),
      ...(limits ? [limitsPlugin(limits, rateLimiter)] : []),
      ...caches.plugins,
      // After the limits and the cache: it learns from what they did to the response.
      ...(earlyHits ? [earlyHits.plugins.learn] : []),
      subgraphResponsePlugin,
      clientErrorsPlugin(logger),
      ...landingPagePlugins(sandboxLinkingToExplorer()),
    ],
    logger,
    stringifyResult: compactJson,
    persistedQueries: persistedQueries ? { cache: persistedQueries.cache } : undefined,
    parseOptions: limits ? { maxLexicalTokens: limits.maxTokens } : {},
    // No "Did you mean …?" hints that map the schema for a stranger when introspection is off.
    hideSchemaDetailsFromClientErrors: isProduction(),
  });
  // Shared budgets from the first request: a limiter still connecting would count in memory.
  await Promise.all([rateLimiter?.connected(), persistedQueries?.connected()]);
  let listening: RunningService | undefined;
  const service = await serveGraphQL(httpServer, {
    name: 'gateway',
    port: options.port,
    host: options.host,
    logger,
    apollo,
    // Pages for people, in development only: an index of the services at / and the offline explorer.
    routes: isProduction()
      ? undefined
      : (app) => {
          serveIndex(app, { webAppUrl: options.webAppUrl, service: () => listening });
          serveExplorer(app);
        },
    corsOrigins: options.corsOrigins,
    answerEarly: earlyHits?.answer,
    readiness: subgraphsReadiness(subgraphUrls),
    readyWhen: 'any',
    readyDetails: () => ({ supergraph: { hash: supergraph.hash() } }),
    context: gatewayContext({
      verifyAccessToken,
      operationTimeoutMs: limits ? limits.operationTimeoutMs : DEFAULT_LIMITS.operationTimeoutMs,
      subgraphNames: () => subgraphUrls.keys(),
    }),
  });
  listening = service;
  return {
    ...service,
    close: async () => {
      await service.close();
      await rateLimiter?.close();
      persistedQueries?.close();
      await upstream.close();
    },
  };
}
