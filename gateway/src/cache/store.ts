// Where the caches keep their entries: a bounded LRU in this process, or Redis shared by every
// gateway replica (redis-store.ts). Both keep the same promise about invalidation:
//
// - an entry carries tags (`Post#5`, `Post`); invalidating a tag drops every entry that has it;
// - a value is written with the invalidation sequence number read before it was fetched, and
//   is not written when one of its tags was invalidated since: a slow fetch that started before
//   `updatePost` committed cannot put the old title back after the invalidation.
import { LRUCache } from 'lru-cache';
import { INVALIDATION_MEMORY_SECONDS } from '#lib/service/cache-invalidation.ts';

export interface CacheEntry {
  key: string;
  value: string;
  ttlSeconds: number;
  tags: string[];
}

interface CacheRead {
  /** One per key asked for, undefined when absent. */
  values: (string | undefined)[];
  /** The invalidation sequence number to write what is fetched next with; null: do not write. */
  sequence: number | null;
}

export interface CacheStore {
  read(keys: string[]): Promise<CacheRead>;
  /** Writes what is still fresh: entries none of whose tags was invalidated after `sequence`. */
  write(entries: CacheEntry[], sequence: number): Promise<void>;
  invalidate(tags: string[]): Promise<void>;
  /** Resolves when the store can serve (or gives up waiting); never rejects. */
  connected(): Promise<void>;
  close(): Promise<void>;
}

interface MemoryEntry {
  value: string;
  tags: string[];
}

export function memoryStore(options: { maxBytes: number; now?: () => number }): CacheStore {
  const now = options.now ?? (() => performance.now());
  const keysByTag = new Map<string, Set<string>>();
  const unindex = (key: string, tags: string[]) => {
    for (const tag of tags) {
      const keys = keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) keysByTag.delete(tag);
    }
  };
  const entries = new LRUCache<string, MemoryEntry>({
    maxSize: options.maxBytes,
    // Strings are UTF-16 in memory; the tags and the index cost about as much as the key again.
    sizeCalculation: (entry, key) => 2 * (entry.value.length + 2 * key.length) + 64,
    dispose: (entry, key) => unindex(key, entry.tags),
    perf: { now },
    ttlResolution: 0,
  });
  let sequence = 0;
  // Recent invalidations, for writes that started before them. Once one is forgotten, writes that
  // started before it are refused outright (`floor`), so forgetting never lets a stale one in.
  let floor = 0;
  const invalidatedAt = new LRUCache<string, number>({
    max: 100_000,
    ttl: INVALIDATION_MEMORY_SECONDS * 1000,
    perf: { now },
    noDisposeOnSet: true,
    dispose: (at) => {
      floor = Math.max(floor, at);
    },
  });

  return {
    async read(keys) {
      return { values: keys.map((key) => entries.get(key)?.value), sequence };
    },
    async write(toWrite, startedAt) {
      if (startedAt < floor) return;
      for (const entry of toWrite) {
        if (entry.tags.some((tag) => (invalidatedAt.get(tag) ?? 0) > startedAt)) continue;
        entries.set(entry.key, { value: entry.value, tags: entry.tags }, { ttl: entry.ttlSeconds * 1000 });
        for (const tag of entry.tags) {
          let keys = keysByTag.get(tag);
          if (!keys) keysByTag.set(tag, (keys = new Set()));
          keys.add(entry.key);
        }
      }
    },
    async invalidate(tags) {
      sequence += 1;
      for (const tag of tags) {
        invalidatedAt.set(tag, sequence);
        for (const key of [...(keysByTag.get(tag) ?? [])]) entries.delete(key);
      }
    },
    async connected() {},
    async close() {
      entries.clear();
    },
  };
}
