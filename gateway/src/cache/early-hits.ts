// Response-cache hits answered near the socket: a query the gateway has answered before (a POST
// with the same document, or a GET or POST naming it by its persisted hash, with the same
// operation and variables) is looked up in the response cache as soon as its body is parsed, and
// a hit is sent from there, without Apollo Server's pipeline (context, plugins, execution).
//
// It serves only what the full path has already served for the same request: the full path
// records, for each such request, its response cache key and what its limits charged (the plugin
// below). An early hit then still keeps everything that depends on who asks: the token is
// verified (the same verify-once verifier), the entry is read under the caller's audience as the
// response cache reads it (a PRIVATE answer only for its user), the caller's rate budget is charged
// the same cost (the same limiter), and the response carries the same Cache-Control, Vary, Age,
// x-cache: HIT and rate-limit headers. Whatever it is unsure of goes the full way: an unknown
// request, a bad token, a miss, an exhausted budget (the full path then refuses it), a request
// Apollo's CSRF prevention would refuse, or one asking for SQL counts.
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, Response } from 'express';
import { OperationTypeNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { AccessTokenVerifier, Viewer } from '#lib/service/auth.ts';
import { SQL_DEBUG_HEADER, wantsSqlCounts } from '#lib/service/sql-debug.ts';
import type { LimitsContext } from '../limits/plugin.ts';
import { rateLimitClient, type RateLimiter } from '../limits/rate-limiter.ts';
import type { LimitSettings } from '../limits/settings.ts';
import type { CacheContext, GatewayCache } from './gateway-cache.ts';
import { ageOf, CACHE_STATUS_HEADER, lookUpResponse, responseKeyBase, type ResponseEntry } from './response-cache.ts';

export interface EarlyHitsOptions {
  cache: GatewayCache;
  verifyAccessToken: AccessTokenVerifier;
  /** The gateway's limits (false: none) and its rate limiter (null: none), as the limits plugin has them. */
  limits: LimitSettings | false;
  rateLimiter: RateLimiter | null;
  /** Requests the full path has answered and that an early hit may serve (default 10,000). */
  maxKnownRequests?: number;
}

/** What the full path learned of a request: where its answer is kept, what it costs, and the extensions it carries. */
interface KnownRequest {
  base: string;
  /** Charged to the rate budget; undefined when no rate limit applied. */
  charge: number | undefined;
  extensions: Record<string, unknown> | undefined;
}

interface RequestFields {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/**
 * Which request this is, as the client sent it: its document (its text, or the persisted hash
 * when it sends only that), operation and variables, and the role of who asks. A request with
 * both a text and a hash is known by its text: only the full path checks that the two agree. The
 * role, because the full path decides some things by it (an admin may run documents that are not
 * registered, TRUSTED_DOCUMENTS_ADMIN_ADHOC): what it let one role run is served early to that
 * role only.
 */
function requestKey({ query, operationName, variables, extensions }: RequestFields, viewer: Viewer | null): string | undefined {
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  const document = typeof query === 'string' ? `query:${query}` : typeof hash === 'string' ? `apq:${hash}` : undefined;
  if (document === undefined || (operationName != null && typeof operationName !== 'string')) return undefined;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  return `${viewer?.role ?? 'anonymous'}\n${document}\n${operationName ?? ''}\n${JSON.stringify(variables ?? {})}`;
}

/** A GET's fields: the variables and extensions are JSON in the query string. */
function getFields(request: Request): RequestFields | undefined {
  const { query, operationName, variables, extensions } = request.query;
  try {
    return {
      query,
      operationName,
      variables: typeof variables === 'string' ? JSON.parse(variables) : variables,
      extensions: typeof extensions === 'string' ? JSON.parse(extensions) : extensions,
    };
  } catch {
    return undefined;
  }
}

const NON_PREFLIGHTED_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/** What Apollo Server's CSRF prevention lets through: a JSON content type, or a header no simple request can send. */
function preflighted(request: Request): boolean {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || NON_PREFLIGHTED_HEADERS.some((name) => Boolean(request.headers[name]));
}

export function earlyCacheHits(options: EarlyHitsOptions) {
  const { cache, verifyAccessToken, limits, rateLimiter } = options;
  const rateLimit = limits ? limits.rateLimit : false;
  // Bounded by count and by the size of the keys, which hold the documents' text.
  const known = new LRUCache<string, KnownRequest>({
    max: options.maxKnownRequests ?? 10_000,
    maxSize: 16 * 1024 * 1024,
    sizeCalculation: (_, key) => key.length + 100,
  });

  // The key of each request on the full path, taken as it came: before a plugin rewrites it (the
  // trusted documents put a registered document's text in place of its id).
  const keyOfRequest = new WeakMap<object, string>();

  /** First among the plugins: notes the request's key. */
  const recognize: ApolloServerPlugin<CacheContext> = {
    async requestDidStart({ request, contextValue }) {
      const key = requestKey(request, contextValue.viewer);
      if (key !== undefined) keyOfRequest.set(contextValue, key);
    },
  };

  /** After the limits and the caches: learns, from each query answered without errors, how to serve it early next time. */
  const learn: ApolloServerPlugin<CacheContext & LimitsContext> = {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, operation, queryHash, operationName, contextValue, overallCachePolicy }) {
          if (operation?.operation !== OperationTypeNode.QUERY || contextValue.debugSql || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors?.length || !result.data || !overallCachePolicy.policyIfCacheable()) return;
          const key = keyOfRequest.get(contextValue);
          if (key === undefined) return;
          known.set(key, {
            base: responseKeyBase(queryHash, operationName, request.variables),
            charge: contextValue.rateCharge,
            extensions: result.extensions && { ...result.extensions },
          });
        },
      };
    },
  };

  /** The hit for this request, with its rate-limit headers; undefined to take the full path. */
  async function hitFor(request: Request): Promise<{ entry: ResponseEntry; learned: KnownRequest; rateHeaders: Record<string, string> } | undefined> {
    if (!preflighted(request) || wantsSqlCounts(request.headers[SQL_DEBUG_HEADER])) return undefined;
    const fields = request.method === 'GET' ? getFields(request) : request.method === 'POST' ? (request.body as RequestFields | undefined) : undefined;
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return undefined;
    // A bad token: the full path says why.
    const viewer = await verifyAccessToken(request.headers.authorization).catch(() => undefined);
    if (viewer === undefined) return undefined;
    const key = requestKey(fields, viewer);
    const learned = key === undefined ? undefined : known.get(key);
    if (!learned) return undefined;
    const { entry } = await lookUpResponse(cache, learned.base, viewer);
    if (!entry) return undefined;
    if (!rateLimiter || !rateLimit || learned.charge === undefined) return { entry, learned, rateHeaders: {} };
    const decision = await rateLimiter.consume(rateLimitClient(viewer, request.ip ?? 'unknown'), learned.charge);
    // A spent budget: the full path refuses it, with its message.
    if (!decision.allowed) return undefined;
    const rateHeaders = {
      'ratelimit-limit': String(rateLimit.capacity),
      'ratelimit-remaining': String(decision.remaining),
      'ratelimit-reset': String(decision.resetSeconds),
    };
    return { entry, learned, rateHeaders };
  }

  /** True when it answered; false when the request goes on to the full path (also when something failed on the way). */
  async function answer(request: Request, response: Response): Promise<boolean> {
    const hit = await hitFor(request).catch(() => undefined);
    if (!hit) return false;
    const { entry, learned, rateHeaders } = hit;
    const body = JSON.stringify(learned.extensions ? { data: entry.data, extensions: learned.extensions } : { data: entry.data });
    // In the order the full path sends them.
    const headers: Record<string, string> = {
      ...rateHeaders,
      age: String(ageOf(entry)),
      vary: 'Origin, Authorization',
      [CACHE_STATUS_HEADER]: 'HIT',
      'cache-control': `max-age=${entry.maxAge}, ${entry.scope.toLowerCase()}`,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    };
    cache.counting.count('response', 'hits');
    response.writeHead(200, headers).end(body);
    return true;
  }

  return { plugins: { recognize, learn }, answer };
}
