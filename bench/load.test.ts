// The load runner: exactly `concurrency` screens in flight, the stop rules, warm-up kept out of
// the numbers, and throughput as completed screens per second.
import { describe, expect, it } from 'vitest';
import { runLoad, type VirtualClient } from './load.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fakeClients(count: number, ms: number) {
  const state = { inFlight: 0, maxInFlight: 0, warmups: 0, counted: 0, counting: 0 };
  const clients: VirtualClient[] = Array.from({ length: count }, () => {
    let counting = false;
    return {
      async iterate() {
        state.inFlight += 1;
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
        await sleep(ms);
        state.inFlight -= 1;
        if (counting) state.counted += 1;
        else state.warmups += 1;
      },
      startCounting() {
        counting = true;
        state.counting += 1;
      },
    };
  });
  return { clients, state };
}

describe('runLoad', () => {
  it('keeps exactly the concurrency in flight and measures throughput as screens per second', async () => {
    const { clients, state } = fakeClients(4, 20);
    const result = await runLoad(clients, { minDurationMs: 300, minIterations: 1, maxDurationMs: 5_000, warmupIterations: 2 });
    expect(state.maxInFlight).toBe(4);
    expect(state.warmups).toBe(8);
    expect(state.counting).toBe(4);
    expect(result.latencies).toHaveLength(state.counted);
    expect(Math.min(...result.latencies)).toBeGreaterThanOrEqual(19);
    // 4 clients × one screen per ~20 ms: about 200 per second (timers run late, never early).
    expect(result.throughputPerSecond).toBeGreaterThan(120);
    expect(result.throughputPerSecond).toBeLessThanOrEqual(200);
    expect(result.throughputPerSecond).toBeCloseTo(result.latencies.length / (result.elapsedMs / 1000), 6);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(300);
  });

  it('runs past the minimum time until the minimum count, but never past the maximum time', async () => {
    const slow = fakeClients(2, 50);
    const counted = await runLoad(slow.clients, { minDurationMs: 10, minIterations: 9, maxDurationMs: 5_000, warmupIterations: 0 });
    // Both clients finish the screen they started: 9 or 10.
    expect(counted.latencies.length).toBeGreaterThanOrEqual(9);
    expect(counted.latencies.length).toBeLessThanOrEqual(10);

    const capped = fakeClients(1, 50);
    const result = await runLoad(capped.clients, { minDurationMs: 10, minIterations: 1_000, maxDurationMs: 200, warmupIterations: 0 });
    expect(result.latencies.length).toBeLessThan(6);
    expect(result.elapsedMs).toBeLessThan(400);
  });
});
