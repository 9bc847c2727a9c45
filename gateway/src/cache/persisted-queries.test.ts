// The persisted-query store in Redis: what one replica registers another reads, with a TTL; an
// unreachable Redis is a miss, never an error. Runs when REDIS_URL is set.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisPersistedQueries } from './persisted-queries.ts';

const REDIS_URL = process.env.REDIS_URL;
const opened: { close(): void }[] = [];
afterAll(() => opened.forEach((store) => store.close()));

async function storeAt(redisUrl: string, keyPrefix: string) {
  const store = redisPersistedQueries({ redisUrl, keyPrefix, timeoutMs: 200 });
  opened.push(store);
  await store.connected();
  return store.cache;
}

describe('persisted queries in Redis', () => {
  it.skipIf(!REDIS_URL)('are known to every replica with the same prefix, for their TTL', async () => {
    const prefix = `test:${randomUUID()}:`;
    const [replicaA, replicaB, elsewhere] = await Promise.all([
      storeAt(REDIS_URL!, prefix),
      storeAt(REDIS_URL!, prefix),
      storeAt(REDIS_URL!, `test:${randomUUID()}:`),
    ]);
    await replicaA.set('apq:abc', '{ me { id } }', { ttl: 60 });
    expect(await replicaB.get('apq:abc')).toBe('{ me { id } }');
    expect(await elsewhere.get('apq:abc')).toBeUndefined();
    const redis = new Redis(REDIS_URL!);
    try {
      expect(await redis.ttl(`${prefix}apq:abc`)).toBeGreaterThan(55);
      await replicaA.set('apq:def', '{ posts { totalCount } }');
      // Unsaid by Apollo Server: a day.
      expect(await redis.ttl(`${prefix}apq:def`)).toBeGreaterThan(86_000);
    } finally {
      redis.disconnect();
    }
    await replicaB.delete('apq:abc');
    expect(await replicaA.get('apq:abc')).toBeUndefined();
  });

  it('misses, and forgets, without an error while Redis is unreachable', async () => {
    const unreachable = await storeAt('redis://127.0.0.1:1', 'test:');
    await expect(unreachable.set('apq:abc', '{ me { id } }')).resolves.toBeUndefined();
    await expect(unreachable.get('apq:abc')).resolves.toBeUndefined();
    await expect(unreachable.delete('apq:abc')).resolves.toBeUndefined();
  });
});
