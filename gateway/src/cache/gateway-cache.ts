// One gateway's cache: its store (memory or Redis), its counters, and the invalidations it
// listens to; shared by the response cache (a plugin) and the entity cache (a unit of the
// upstream pipeline, which finds it through the request's context).
import { createHash } from 'node:crypto';
import type { Viewer } from '#lib/service/auth.ts';
import { onCacheInvalidation } from '#lib/service/cache-invalidation.ts';
import type { Logger } from '#lib/service/logger.ts';
import { redisStore } from './redis-store.ts';
import type { CacheSettings } from './settings.ts';
import { CacheCounting } from './stats.ts';
import { memoryStore, type CacheStore } from './store.ts';

export interface CacheContext {
  viewer: Viewer | null;
  /** The client measures the subgraphs' SQL statements (`x-debug-sql: 1`): the caches stand aside. */
  debugSql?: boolean;
}

export interface GatewayCache {
  settings: CacheSettings;
  store: CacheStore;
  counting: CacheCounting;
  close(): Promise<void>;
}

export function createGatewayCache(settings: CacheSettings, deps: { redisUrl?: string; logger: Logger }): GatewayCache {
  const counting = new CacheCounting();
  let store: CacheStore;
  if (settings.store === 'redis') {
    if (!deps.redisUrl) throw new Error('The cache is set to use Redis, but no Redis URL is configured (REDIS_URL).');
    store = redisStore({
      redisUrl: deps.redisUrl,
      keyPrefix: settings.redisKeyPrefix,
      timeoutMs: settings.redisTimeoutMs,
      logger: deps.logger,
      onError: () => counting.storeError(),
    });
  } else {
    store = memoryStore({ maxBytes: settings.memoryMegabytes * 1024 * 1024 });
  }
  const stopListening = onCacheInvalidation(async (tags) => {
    counting.invalidation();
    await store.invalidate(tags);
  });
  return {
    settings,
    store,
    counting,
    close: async () => {
      stopListening();
      await store.close();
    },
  };
}

const cacheOfRequest = new WeakMap<object, GatewayCache>();

/** Makes the cache reachable from the subgraph fetches of this request. */
export function attachToRequest(context: object, cache: GatewayCache) {
  cacheOfRequest.set(context, cache);
}

export function cacheOfContext(context: object): GatewayCache | undefined {
  return cacheOfRequest.get(context);
}

/**
 * Who a cached value may be served to. PUBLIC values are shared by all anonymous requests and,
 * apart, by all signed-in ones (as Apollo's response cache does: a public field that reads
 * differently once signed in cannot leak across). PRIVATE values belong to one user, with the
 * role and scopes their token carries.
 */
export function audienceOf(viewer: Viewer | null | undefined): { shared: string; own: string | null } {
  if (!viewer) return { shared: 'anonymous', own: null };
  return { shared: 'signed-in', own: `user:${viewer.id}:${viewer.role}:${[...viewer.scopes].sort().join(',')}` };
}

export function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

export type CacheScope = 'PUBLIC' | 'PRIVATE';

/** An entry as written, or undefined when it does not parse (another version wrote it): a miss. */
export function parseEntry(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** `max-age=60, private` from a subgraph: the policy its whole response may be cached with. */
export function policyFromCacheControl(header: string | null | undefined): { maxAge: number; scope: CacheScope } | null {
  if (!header || /no-store|no-cache/.test(header)) return null;
  const maxAge = Number(/(?:^|[\s,])max-age=(\d+)/.exec(header)?.[1] ?? 0);
  if (!(maxAge > 0)) return null;
  return { maxAge, scope: /(?:^|[\s,])private(?:$|[\s,])/.test(header) ? 'PRIVATE' : 'PUBLIC' };
}
