// Automatic persisted queries (APQ): the hash → query map Apollo Server keeps. In Redis when the
// gateway has one, so that a hash a client registered through one replica is known to every other
// (in memory, a replica that never saw it answers PERSISTED_QUERY_NOT_FOUND and the client sends
// its query once more). Redis down or slow is a miss, never a failure: the client sends the query again.
import type { PersistedQueryOptions } from '@apollo/server';
import { connectedWithin, failFastRedis, FIRST_CONNECTION_WAIT_MS } from '#lib/service/redis.ts';

type PersistedQueryCache = NonNullable<PersistedQueryOptions['cache']>;

export interface RedisPersistedQueriesOptions {
  redisUrl: string;
  /** Namespace of the keys in Redis (the caches' CACHE_REDIS_PREFIX); Apollo Server adds `apq:`. */
  keyPrefix: string;
  /** Longest a command may take; beyond, it counts as a miss. */
  timeoutMs: number;
  /** How long a registered query is kept unused; a client whose hash expired sends it again. */
  ttlSeconds?: number;
}

/** A day: a query in use is registered again within a request of its expiry, so this only bounds the memory of unused ones. */
const DEFAULT_TTL_SECONDS = 86_400;

export function redisPersistedQueries(options: RedisPersistedQueriesOptions): { cache: PersistedQueryCache; connected(): Promise<void>; close(): void } {
  const redis = failFastRedis(options.redisUrl, options.timeoutMs);
  const key = (hash: string) => `${options.keyPrefix}${hash}`;
  const cache: PersistedQueryCache = {
    async get(hash) {
      return (await redis.get(key(hash)).catch(() => null)) ?? undefined;
    },
    async set(hash, query, setOptions) {
      await redis.set(key(hash), query, 'EX', setOptions?.ttl ?? options.ttlSeconds ?? DEFAULT_TTL_SECONDS).catch(() => {});
    },
    async delete(hash) {
      await redis.del(key(hash)).catch(() => {});
    },
  };
  return {
    cache,
    // Before the first request, like the caches: a store still connecting would miss for nothing.
    connected: () => connectedWithin(redis, FIRST_CONNECTION_WAIT_MS).catch(() => {}),
    close: () => redis.disconnect(),
  };
}
