// The stores' promises, the same for memory and Redis: TTLs, tags, refused late writes, bounds,
// and (Redis) an outage that bypasses the cache with one warning.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startDelayProxy } from '../../../test/delay-proxy.ts';
import { createInvalidationPublisher } from '#lib/service/cache-invalidation.ts';
import type { Logger } from '#lib/service/logger.ts';
import { redisStore } from './redis-store.ts';
import { memoryStore, type CacheStore } from './store.ts';

const REDIS_URL = process.env.REDIS_URL;
const silent = () => ({ warn: vi.fn(), info: vi.fn(), error: vi.fn() }) as unknown as Logger & { warn: ReturnType<typeof vi.fn> };
const closing: CacheStore[] = [];
afterAll(async () => {
  for (const store of closing) await store.close();
});

const entry = (key: string, tags: string[], ttlSeconds = 60) => ({ key, value: `value of ${key}`, ttlSeconds, tags });
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Kind {
  name: string;
  skip: boolean;
  make(): CacheStore;
  /** Lets `seconds` pass for the store's TTLs. */
  elapse(seconds: number): Promise<void>;
}

let clock = 1_000_000;
const kinds: Kind[] = [
  {
    name: 'memory',
    skip: false,
    make: () => memoryStore({ maxBytes: 1_000_000, now: () => clock }),
    elapse: async (seconds) => {
      clock += seconds * 1000 + 1;
    },
  },
  {
    name: 'Redis',
    skip: !REDIS_URL,
    make: () => {
      const store = redisStore({ redisUrl: REDIS_URL!, keyPrefix: `test:${randomUUID()}:`, timeoutMs: 500, logger: silent() });
      closing.push(store);
      return store;
    },
    elapse: (seconds) => wait(seconds * 1000 + 100),
  },
];

describe.each(kinds)('$name store', (kind) => {
  it.skipIf(kind.skip)('reads back what it wrote, and nothing once the TTL has passed', async () => {
    const store = kind.make();
    const { sequence } = await store.read(['a']);
    await store.write([entry('a', ['Post#1'], 1), entry('b', ['Post#2'], 60)], sequence!);
    expect((await store.read(['a', 'b', 'c'])).values).toEqual(['value of a', 'value of b', undefined]);
    await kind.elapse(1);
    expect((await store.read(['a', 'b'])).values).toEqual([undefined, 'value of b']);
  });

  it.skipIf(kind.skip)('drops every entry with an invalidated tag, and only those', async () => {
    const store = kind.make();
    const { sequence } = await store.read([]);
    await store.write([entry('post-5', ['Post#5', 'User#2']), entry('post-6', ['Post#6', 'User#2']), entry('feed', ['Post', 'Post#5'])], sequence!);
    await store.invalidate(['Post#5']);
    expect((await store.read(['post-5', 'post-6', 'feed'])).values).toEqual([undefined, 'value of post-6', undefined]);
    await store.invalidate(['User#2']);
    expect((await store.read(['post-6'])).values).toEqual([undefined]);
  });

  it.skipIf(kind.skip)('refuses a write fetched before an invalidation of one of its tags', async () => {
    const store = kind.make();
    const before = (await store.read([])).sequence!;
    // updatePost commits and invalidates while the old title is on its way to the cache.
    await store.invalidate(['Post#5']);
    await store.write([entry('stale', ['Post#5']), entry('unrelated', ['Post#6'])], before);
    expect((await store.read(['stale', 'unrelated'])).values).toEqual([undefined, 'value of unrelated']);
    const after = (await store.read([])).sequence!;
    await store.write([entry('fresh', ['Post#5'])], after);
    expect((await store.read(['fresh'])).values).toEqual(['value of fresh']);
  });
});

describe('memory store', () => {
  it('stays within its bound, dropping the least recently used entries', async () => {
    const store = memoryStore({ maxBytes: 50_000 });
    for (let i = 0; i < 100; i++) await store.write([{ key: `k${i}`, value: 'x'.repeat(1_000), ttlSeconds: 60, tags: [`Post#${i}`] }], 0);
    const { values } = await store.read(Array.from({ length: 100 }, (_, i) => `k${i}`));
    const kept = values.filter(Boolean).length;
    expect(kept).toBeGreaterThan(10);
    expect(kept).toBeLessThan(30);
    expect(values[99]).toBeDefined();
    expect(values[0]).toBeUndefined();
  });
});

describe('Redis store', () => {
  it('bypasses the cache when Redis cannot be reached, with one warning, and never throws', async () => {
    const logger = silent();
    const store = redisStore({ redisUrl: 'redis://127.0.0.1:1', keyPrefix: 'test:', timeoutMs: 50, logger, retryAfterMs: 0 });
    closing.push(store);
    for (let i = 0; i < 5; i++) {
      expect(await store.read(['a', 'b'])).toEqual({ values: [undefined, undefined], sequence: null });
      await store.write([entry('a', ['Post#1'])], 0);
      await store.invalidate(['Post#1']);
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![1]).toMatch(/bypassed/);
  });

  it.skipIf(!REDIS_URL)('bypasses a slow Redis within its timeout', async () => {
    const redis = new URL(REDIS_URL!);
    const slow = await startDelayProxy({ host: redis.hostname, port: Number(redis.port || 6379) }, 1_000);
    try {
      const store = redisStore({ redisUrl: `redis://127.0.0.1:${slow.port}`, keyPrefix: `test:${randomUUID()}:`, timeoutMs: 100, logger: silent() });
      closing.push(store);
      const started = Date.now();
      expect((await store.read(['a'])).values).toEqual([undefined]);
      expect(Date.now() - started).toBeLessThan(900);
    } finally {
      await slow.close();
    }
  });

  it.skipIf(!REDIS_URL)('applies the invalidations it missed once Redis is back, before serving from it again', async () => {
    const redis = new URL(REDIS_URL!);
    const target = { host: redis.hostname, port: Number(redis.port || 6379) };
    let proxy = await startDelayProxy(target, 0);
    const port = proxy.port;
    const logger = silent();
    const store = redisStore({ redisUrl: `redis://127.0.0.1:${port}`, keyPrefix: `test:${randomUUID()}:`, timeoutMs: 200, logger, retryAfterMs: 0 });
    closing.push(store);
    await store.write([entry('post-5', ['Post#5'])], (await store.read([])).sequence!);
    expect((await store.read(['post-5'])).values).toEqual(['value of post-5']);

    await proxy.close();
    await store.invalidate(['Post#5']); // cannot reach Redis: kept
    expect((await store.read(['post-5'])).values).toEqual([undefined]);

    proxy = await startDelayProxy(target, 0, port);
    try {
      let value: string | undefined = 'not yet';
      for (let i = 0; i < 50 && value !== undefined; i++) {
        await wait(100);
        const read = await store.read(['post-5']);
        if (read.sequence !== null) value = read.values[0];
      }
      expect(value).toBeUndefined();
      expect(logger.warn.mock.calls.map((call) => String(call.at(-1)))).toEqual([expect.stringMatching(/bypassed/), expect.stringMatching(/back/)]);
    } finally {
      await proxy.close();
    }
  });

  it.skipIf(!REDIS_URL)("receives a subgraph's invalidation through Redis, as a replica in another process would", async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const store = redisStore({ redisUrl: REDIS_URL!, keyPrefix, timeoutMs: 500, logger: silent() });
    closing.push(store);
    await store.write([entry('post-5', ['Post#5']), entry('post-6', ['Post#6'])], (await store.read([])).sequence!);
    const publisher = createInvalidationPublisher({ redisUrl: REDIS_URL!, keyPrefix, logger: silent() });
    try {
      await publisher.publish([{ type: 'Post', id: 5 }]);
    } finally {
      await publisher.close();
    }
    expect((await store.read(['post-5', 'post-6'])).values).toEqual([undefined, 'value of post-6']);
  });
});
