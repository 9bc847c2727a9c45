// The gateway's caches, their defaults and the environment variables that tune them.
import { defaultCacheRedisPrefix } from '#lib/service/cache-invalidation.ts';
import { environment, type EnvironmentSource } from '#lib/service/env.ts';

export interface CacheSettings {
  /** Whole responses of queries, by operation, variables and (for PRIVATE data) user. */
  responses: boolean;
  /** Response-cache hits answered as soon as the request's body is parsed, before Apollo Server (early-hits.ts). */
  earlyHits: boolean;
  /** Entities fetched from subgraphs (`_entities`), each on its own, by subgraph, type, key and selection. */
  entities: boolean;
  /** Where entries live: Redis (shared by every replica) when a Redis URL is given, else memory. */
  store: 'memory' | 'redis';
  /** Bound of the in-memory store, in megabytes; the least recently used entries go first. */
  memoryMegabytes: number;
  /** Namespace of the cache's keys in Redis (the subgraphs' publishers must use the same). */
  redisKeyPrefix: string;
  /** Longest a Redis command may take before the cache is bypassed for a while. */
  redisTimeoutMs: number;
  /**
   * Cache in memory even when no mutation can reach this gateway (no Redis, and no subgraph in
   * this process): entries then live out their TTL after a change. Off by default: such a gateway
   * does not cache, and says so in its log.
   */
  evenWithoutInvalidation: boolean;
}

export const DEFAULT_CACHE: CacheSettings = {
  responses: true,
  earlyHits: true,
  entities: true,
  store: 'memory',
  memoryMegabytes: 64,
  // Read when used: importing this module reads no environment (an entry point checks it first).
  get redisKeyPrefix() {
    return defaultCacheRedisPrefix();
  },
  redisTimeoutMs: 100,
  evenWithoutInvalidation: false,
};

/** From the environment; false when CACHE=off (CACHE=on: even without invalidation). `redisUrl` chooses the store. */
export function cacheSettingsFromEnv(source?: EnvironmentSource, redisUrl?: string): CacheSettings | false {
  const values = environment(source);
  if (values.CACHE === 'off') return false;
  return {
    responses: values.CACHE_RESPONSES !== 'off',
    earlyHits: values.CACHE_EARLY_HITS !== 'off',
    entities: values.CACHE_ENTITIES !== 'off',
    store: redisUrl ? 'redis' : 'memory',
    memoryMegabytes: values.CACHE_MEMORY_MB ?? DEFAULT_CACHE.memoryMegabytes,
    redisKeyPrefix: defaultCacheRedisPrefix(source),
    redisTimeoutMs: values.CACHE_REDIS_TIMEOUT_MS ?? DEFAULT_CACHE.redisTimeoutMs,
    evenWithoutInvalidation: values.CACHE === 'on',
  };
}
