// The cache in Redis, shared by every gateway replica: entries with their TTL, a set of keys per
// tag, and the invalidation bookkeeping of lib/cache-invalidation.ts. Redis down or slow never
// fails a request: the cache is bypassed (reads miss, writes are skipped) for a few seconds at a
// time, with one warning per outage; invalidations that could not be applied are applied when
// Redis answers again.
import { connectedWithin, failFastRedis, FIRST_CONNECTION_WAIT_MS } from '#lib/service/redis.ts';
import { cacheRedisKeys, INVALIDATE_SCRIPT, INVALIDATION_MEMORY_SECONDS } from '#lib/service/cache-invalidation.ts';
import type { Logger } from '#lib/service/logger.ts';
import type { CacheStore } from './store.ts';

/**
 * ARGV: prefix, sequence, then for each entry: key, value, ttl, tag count, tags… An entry is
 * skipped when one of its tags was invalidated after `sequence`. Returns how many were written.
 */
const WRITE_SCRIPT = `
local prefix = ARGV[1]
local startedAt = tonumber(ARGV[2])
local i = 3
local written = 0
while i <= #ARGV do
  local key, value, ttl, count = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  local fresh = true
  for t = 1, count do
    local at = redis.call('GET', prefix .. 'inv:' .. ARGV[i + 3 + t])
    if at and tonumber(at) > startedAt then fresh = false end
  end
  if fresh then
    redis.call('SET', key, value, 'EX', ttl)
    for t = 1, count do
      local setKey = prefix .. 'tag:' .. ARGV[i + 3 + t]
      redis.call('SADD', setKey, key)
      if redis.call('TTL', setKey) < ttl then redis.call('EXPIRE', setKey, ttl) end
    end
    written = written + 1
  end
  i = i + 4 + count
end
return written
`;

export interface RedisStoreOptions {
  redisUrl: string;
  keyPrefix: string;
  /** Longest a command may take; beyond, it counts as a failure. */
  timeoutMs: number;
  logger: Logger;
  /** Called for each failed or timed-out operation. */
  onError?: () => void;
  /** How long the cache is bypassed after a failure before Redis is tried again. */
  retryAfterMs?: number;
}

/** At most this many tags wait for Redis to come back; beyond, the TTLs bound the staleness. */
const MAX_PENDING_TAGS = 10_000;

export function redisStore(options: RedisStoreOptions): CacheStore {
  const redis = failFastRedis(options.redisUrl, options.timeoutMs);
  const prefix = options.keyPrefix;
  const retryAfterMs = options.retryAfterMs ?? 2_000;
  let bypassUntil = 0;
  let degraded = false;
  const pending = new Set<string>();

  /** Runs a command unless the cache is being bypassed; undefined when it did not run or failed. */
  async function attempt<T>(command: () => Promise<T>): Promise<T | undefined> {
    if (Date.now() < bypassUntil) return undefined;
    try {
      if (redis.status !== 'ready') {
        // The first requests wait for the first connection (briefly) rather than bypass.
        if (degraded) throw new Error(`Redis is ${redis.status}`);
        await connectedWithin(redis, options.timeoutMs * 2);
      }
      const result = await command();
      if (degraded) {
        degraded = false;
        options.logger.warn('Redis is back: the gateway caches are in use again.');
        // Reads keep missing until these are applied (see read): they may have dropped entries.
        const retry = [...pending];
        if (retry.length && (await invalidate(retry))) for (const tag of retry) pending.delete(tag);
      }
      return result;
    } catch (error) {
      options.onError?.();
      if (!degraded) {
        options.logger.warn({ err: error }, 'Redis unreachable or slow: the gateway caches are bypassed until it answers again.');
      }
      degraded = true;
      bypassUntil = Date.now() + retryAfterMs;
      return undefined;
    }
  }

  /** Applies an invalidation, or keeps it for when Redis answers again; true when applied. */
  async function invalidate(tags: string[]): Promise<boolean> {
    const done = await attempt(() => redis.eval(INVALIDATE_SCRIPT, 0, prefix, INVALIDATION_MEMORY_SECONDS, ...tags));
    if (done === undefined) for (const tag of tags) if (pending.size < MAX_PENDING_TAGS) pending.add(tag);
    return done !== undefined;
  }

  return {
    async read(keys) {
      const values = await attempt(() => redis.mget(cacheRedisKeys.sequence(prefix), ...keys.map((key) => prefix + key)));
      if (!values) return { values: keys.map(() => undefined), sequence: null };
      // An entry written before an invalidation that is still pending may be stale: do not trust
      // the cache until the pending ones have been applied.
      if (pending.size) return { values: keys.map(() => undefined), sequence: null };
      const [sequence, ...entries] = values;
      return { values: entries.map((value) => value ?? undefined), sequence: Number(sequence ?? 0) };
    },
    async write(entries, sequence) {
      if (!entries.length) return;
      const args = entries.flatMap((entry) => [prefix + entry.key, entry.value, String(entry.ttlSeconds), String(entry.tags.length), ...entry.tags]);
      await attempt(() => redis.eval(WRITE_SCRIPT, 0, prefix, String(sequence), ...args));
    },
    async invalidate(tags) {
      await invalidate(tags);
    },
    async connected() {
      await connectedWithin(redis, FIRST_CONNECTION_WAIT_MS).catch(() => {});
    },
    async close() {
      redis.disconnect();
    },
  };
}
