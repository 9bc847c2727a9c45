// How every shared-state feature talks to Redis (rate limits, caches, their invalidation): commands
// fail fast while Redis is away instead of queueing behind it, so that a request degrades (limits
// in memory, caches bypassed) rather than waits; and a service waits for its first connection,
// briefly, before it takes traffic, so that its first requests do not degrade for nothing.
import { Redis } from 'ioredis';

/** A connection made while the machine is busy takes a moment; Redis down costs a start this much. */
export const FIRST_CONNECTION_WAIT_MS = 1_000;

export function failFastRedis(url: string, commandTimeoutMs: number): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: commandTimeoutMs });
  redis.on('error', () => {}); // each feature reports an outage once, not every reconnect attempt
  return redis;
}

/** Resolves once the client is connected; rejects if it is not within `waitMs`. */
export function connectedWithin(redis: Redis, waitMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis did not connect within ${waitMs} ms`));
    }, waitMs);
    redis.once('ready', onReady);
  });
}
