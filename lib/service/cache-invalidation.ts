// What a mutation tells the gateway's caches: which entities it changed. The subgraph that made
// the change knows best (placeOrder knows the products whose stock it took), so the resolvers
// publish it once their transaction has committed, and every cached response and entity that
// holds one of those entities is dropped before the mutation's answer leaves the subgraph.
//
// Delivery: to the gateways in this process at once (npm start, the tests), and, when REDIS_URL
// is set, into the shared Redis cache of every gateway replica by one atomic script. An
// invalidation that cannot reach Redis is kept and sent again when Redis is back; the mutation
// itself never fails for it.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectedWithin, failFastRedis, FIRST_CONNECTION_WAIT_MS } from './redis.ts';
import { environment, type EnvironmentSource } from './env.ts';
import { createLogger, type Logger } from './logger.ts';

/** An entity that changed (`id`), or a new or removed member of a type's lists (no `id`). */
export interface ChangedEntity {
  type: string;
  id?: string | number;
}

/**
 * The tags a change invalidates. `Post#5` is on everything cached that holds post 5; `Post` is on
 * everything that holds a post it cannot name (one read without its `id`) or a root list of posts
 * (`posts(first: 10)`), which any change to any post may affect.
 */
function invalidatedTags(changes: ChangedEntity[]): string[] {
  const tags = new Set<string>();
  for (const { type, id } of changes) {
    tags.add(type);
    if (id !== undefined) tags.add(entityTag(type, id));
  }
  return [...tags];
}

export function entityTag(type: string, id: string | number): string {
  return `${type}#${id}`;
}

// How a cache keeps track of tags in Redis, shared by the gateway's store (which writes entries)
// and the publisher below (which drops them):
//   {prefix}seq        a counter, one step per invalidation
//   {prefix}tag:{tag}  the set of entry keys that hold the tag
//   {prefix}inv:{tag}  the counter's value when the tag was last invalidated (kept for a while,
//                      so that a value fetched before the invalidation is not written after it)
const testRunNamespace = randomUUID();

/**
 * CACHE_REDIS_PREFIX, else `cache:`. Under vitest each test file (a module graph of its own) keeps
 * its entries apart: every file runs on fresh copies of the seeded databases, which no invalidation
 * reports, so an entry cached by another file, running beside it or in an earlier run, must never
 * be served to it.
 */
export function defaultCacheRedisPrefix(source?: EnvironmentSource): string {
  const env = environment(source);
  return env.CACHE_REDIS_PREFIX ?? (env.VITEST ? `cache:test:${testRunNamespace}:` : 'cache:');
}
/** Seconds an invalidation is remembered for late writers; far beyond any operation's timeout. */
export const INVALIDATION_MEMORY_SECONDS = 300;

export const cacheRedisKeys = {
  sequence: (prefix: string) => `${prefix}seq`,
  tagSet: (prefix: string, tag: string) => `${prefix}tag:${tag}`,
  invalidatedAt: (prefix: string, tag: string) => `${prefix}inv:${tag}`,
};

/** ARGV: prefix, memory seconds, tags… Returns the new sequence number. */
export const INVALIDATE_SCRIPT = `
local prefix = ARGV[1]
local memory = tonumber(ARGV[2])
local seq = redis.call('INCR', prefix .. 'seq')
for i = 3, #ARGV do
  local tag = ARGV[i]
  redis.call('SET', prefix .. 'inv:' .. tag, seq, 'EX', memory)
  local setKey = prefix .. 'tag:' .. tag
  local members = redis.call('SMEMBERS', setKey)
  for j = 1, #members, 500 do
    redis.call('UNLINK', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('DEL', setKey)
end
return seq
`;

export type InvalidationListener = (tags: string[]) => void | Promise<void>;

const localListeners = new Set<InvalidationListener>();

/** Hears every invalidation published in this process; returns the function that stops it. */
export function onCacheInvalidation(listener: InvalidationListener): () => void {
  localListeners.add(listener);
  return () => {
    localListeners.delete(listener);
  };
}

export interface InvalidationPublisher {
  publish(changes: ChangedEntity[]): Promise<void>;
  close(): Promise<void>;
}

export interface PublisherOptions {
  redisUrl?: string;
  keyPrefix?: string;
  logger?: Logger;
}

/** At most this many tags wait for Redis to come back; beyond, the TTLs bound the staleness. */
const MAX_PENDING_TAGS = 10_000;

export function createInvalidationPublisher(options: PublisherOptions = {}): InvalidationPublisher {
  const logger = options.logger ?? createLogger('cache-invalidation');
  const prefix = options.keyPrefix ?? defaultCacheRedisPrefix();
  let redis: Redis | undefined;
  let degraded = false;
  const pending = new Set<string>();

  const sendToRedis = async (tags: string[]) => {
    if (!redis) return;
    try {
      await redis.eval(INVALIDATE_SCRIPT, 0, prefix, INVALIDATION_MEMORY_SECONDS, ...tags);
      if (degraded) logger.warn('Redis is back: cache invalidations reach the shared cache again.');
      degraded = false;
    } catch (error) {
      if (!degraded) logger.warn({ err: error }, 'Redis unreachable: cache invalidations are kept and sent when it returns.');
      degraded = true;
      for (const tag of tags) if (pending.size < MAX_PENDING_TAGS) pending.add(tag);
    }
  };

  if (options.redisUrl) {
    redis = failFastRedis(options.redisUrl, 500);
    redis.on('ready', () => {
      // Not a reason to keep the process alive: a service stops without closing the publisher.
      (redis as unknown as { stream?: { unref?: () => void } }).stream?.unref?.();
      if (!pending.size) return;
      const retry = [...pending];
      pending.clear();
      void sendToRedis(retry);
    });
  }
  // Once, shared: while Redis is down, mutations must not each wait for it.
  const firstConnection = redis && connectedWithin(redis, FIRST_CONNECTION_WAIT_MS).catch(() => {});

  return {
    async publish(changes) {
      const tags = invalidatedTags(changes);
      if (!tags.length) return;
      // The gateways in this process drop their entries before the mutation answers.
      await Promise.all([...localListeners].map(async (listener) => listener(tags)));
      if (redis) {
        await firstConnection;
        await sendToRedis(tags);
      }
    },
    async close() {
      redis?.disconnect();
    },
  };
}

let shared: InvalidationPublisher | undefined;

/**
 * What a subgraph's mutations call, once their change is committed, to tell the gateways' caches
 * what changed: a gateway in this process hears it at once, the others through Redis. Uses
 * REDIS_URL and CACHE_REDIS_PREFIX (see defaultCacheRedisPrefix) from the environment.
 */
export function publishCacheInvalidation(...changes: ChangedEntity[]): Promise<void> {
  shared ??= createInvalidationPublisher({ redisUrl: environment().REDIS_URL });
  return shared.publish(changes);
}
