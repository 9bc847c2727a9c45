// Hit and miss counts of the caches, for this process: monotonic counters a metrics registry
// (prom-client's `collect`) can read at scrape time.

export interface CacheCounters {
  /** Served from the cache. */
  hits: number;
  /** Looked up and not found (or not usable): fetched instead. */
  misses: number;
  /** Entries written. */
  writes: number;
}

export interface CacheStats {
  /** Whole responses (x-cache: HIT or MISS). */
  response: CacheCounters;
  /** Entities of `_entities` fetches, counted one by one. */
  entity: CacheCounters;
  /** Invalidations applied (each may drop many entries). */
  invalidations: number;
  /** Store operations that failed or timed out, the cache being bypassed for them. */
  storeErrors: number;
}

const emptyCounters = (): CacheCounters => ({ hits: 0, misses: 0, writes: 0 });

function emptyStats(): CacheStats {
  return { response: emptyCounters(), entity: emptyCounters(), invalidations: 0, storeErrors: 0 };
}

const totals = emptyStats();

/** The counts of every cache of this process since it started. */
export function cacheStats(): CacheStats {
  return structuredClone(totals);
}

/** One gateway's counters, which also add to the process totals. */
export class CacheCounting {
  readonly own = emptyStats();

  count(cache: 'response' | 'entity', what: keyof CacheCounters, amount = 1) {
    this.own[cache][what] += amount;
    totals[cache][what] += amount;
  }

  invalidation() {
    this.own.invalidations += 1;
    totals.invalidations += 1;
  }

  storeError() {
    this.own.storeErrors += 1;
    totals.storeErrors += 1;
  }
}
