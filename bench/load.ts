// A closed-loop load at fixed concurrency: N virtual clients, each building the screen again as
// soon as it has the last one, for at least a minimum time and a minimum number of screens.
// Latency is per screen (all of its requests); throughput is screens per second.

export interface LoadSettings {
  concurrency: number;
  /** Keep going at least this long... */
  minDurationMs: number;
  /** ...and until this many screens are timed, unless `maxDurationMs` comes first. */
  minIterations: number;
  maxDurationMs: number;
  /** Untimed screens per virtual client first (connections opened, caches and JIT warm). */
  warmupIterations: number;
}

export interface VirtualClient {
  iterate(): Promise<void>;
  /** Called once warm-up is over, to zero what the client counts. */
  startCounting(): void;
}

export interface LoadResult {
  /** Milliseconds per screen, in completion order. */
  latencies: number[];
  elapsedMs: number;
  throughputPerSecond: number;
}

export async function runLoad(
  clients: VirtualClient[],
  settings: Pick<LoadSettings, 'minDurationMs' | 'minIterations' | 'maxDurationMs' | 'warmupIterations'>,
  onProgress: (done: number, elapsedMs: number) => void = () => {},
): Promise<LoadResult> {
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < settings.warmupIterations; i++) await client.iterate();
    }),
  );
  for (const client of clients) client.startCounting();
  const latencies: number[] = [];
  const started = performance.now();
  const more = () => {
    const elapsed = performance.now() - started;
    if (elapsed >= settings.maxDurationMs) return false;
    return elapsed < settings.minDurationMs || latencies.length < settings.minIterations;
  };
  const progress = setInterval(() => onProgress(latencies.length, performance.now() - started), 250);
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (more()) {
          const begun = performance.now();
          await client.iterate();
          latencies.push(performance.now() - begun);
        }
      }),
    );
  } finally {
    clearInterval(progress);
  }
  const elapsedMs = performance.now() - started;
  onProgress(latencies.length, elapsedMs);
  return { latencies, elapsedMs, throughputPerSecond: latencies.length / (elapsedMs / 1000) };
}
