import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '#lib/service/logger.ts';
import { SUBGRAPHS } from '../../../subgraphs/manifest.ts';
import { cachePlugins, cacheSettingsFromEnv, DEFAULT_CACHE } from './index.ts';

describe('cacheSettingsFromEnv', () => {
  it('caches in memory by default, in Redis when there is a Redis URL', () => {
    expect(cacheSettingsFromEnv({})).toMatchObject({
      responses: true,
      earlyHits: true,
      entities: true,
      store: 'memory',
      memoryMegabytes: 64,
      evenWithoutInvalidation: false,
    });
    expect(cacheSettingsFromEnv({}, 'redis://127.0.0.1:6379')).toMatchObject({ store: 'redis' });
  });

  it('reads the switches and sizes, and refuses nonsense', () => {
    expect(cacheSettingsFromEnv({ CACHE: 'off' })).toBe(false);
    expect(
      cacheSettingsFromEnv({ CACHE: 'on', CACHE_ENTITIES: 'off', CACHE_EARLY_HITS: 'off', CACHE_MEMORY_MB: '8', CACHE_REDIS_PREFIX: 'edge:' }),
    ).toMatchObject({
      entities: false,
      earlyHits: false,
      memoryMegabytes: 8,
      redisKeyPrefix: 'edge:',
      evenWithoutInvalidation: true,
    });
    expect(() => cacheSettingsFromEnv({ CACHE_MEMORY_MB: 'lots' })).toThrow(/CACHE_MEMORY_MB/);
  });
});

describe('cachePlugins', () => {
  const logger = () => ({ warn: vi.fn() }) as unknown as Logger & { warn: ReturnType<typeof vi.fn> };

  it('does not cache in memory when no mutation could reach it, and says why', () => {
    const quiet = logger();
    expect(cachePlugins({ ...DEFAULT_CACHE, store: 'memory' }, { logger: quiet })).toHaveLength(1);
    expect(quiet.warn.mock.calls[0]![0]).toMatch(/Caches off: without Redis, the mutations of users, posts, orders/);
    expect(cachePlugins({ ...DEFAULT_CACHE, store: 'memory', evenWithoutInvalidation: true }, { logger: logger() })).toHaveLength(3);
  });

  it('caches in memory once every subgraph publishes its changes in this process', () => {
    const quiet = logger();
    const subgraphsInProcess = SUBGRAPHS.map(({ name }) => name);
    expect(cachePlugins({ ...DEFAULT_CACHE, store: 'memory' }, { logger: quiet, subgraphsInProcess })).toHaveLength(3);
    expect(cachePlugins({ ...DEFAULT_CACHE, store: 'memory', responses: false }, { logger: quiet, subgraphsInProcess })).toHaveLength(2);
    expect(quiet.warn).not.toHaveBeenCalled();
  });
});
