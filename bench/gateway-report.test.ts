// The report's ratios and verdicts are computed from the results alone: these pin how.
import { describe, expect, it } from 'vitest';
import {
  capacityRows,
  cpuMsPerRequest,
  evaluateTargets,
  ratioToVanilla,
  renderGatewayReport,
  workloadRows,
  type CellResult,
  type GatewayBenchResults,
  type TargetId,
  type WorkloadId,
} from './gateway-report.ts';

const MB = 1_000_000;

function cell(target: TargetId, workload: WorkloadId, requestsPerSecond: number, p50 = 10, rssMb = 150): CellResult {
  return {
    target,
    workload,
    requests: Math.round(requestsPerSecond * 10),
    failures: 0,
    elapsedMs: 10_000,
    requestsPerSecond,
    roundRequestsPerSecond: [requestsPerSecond],
    latencyMs: { p50, p99: p50 * 3, mean: p50 },
    processes: {
      ...(target === 'subgraph' ? {} : { server: { cores: 0.9, peakRssBytes: rssMb * MB } }),
      users: { cores: 0.5, peakRssBytes: 120 * MB },
      posts: { cores: 0.25, peakRssBytes: 120 * MB },
      orders: { cores: 0.1, peakRssBytes: 120 * MB },
    },
  };
}

const nPlusOne = {
  date: '2026-11-24T06:05:44.432Z',
  shape: 'users(100) { posts(5) { comments(3) { author } } }',
  p50Ratio: 4.4,
  naiveP50Ms: 411,
  batchedP50Ms: 93,
};

const cells: CellResult[] = [
  cell('caches-off', 'user-page-varied', 260),
  cell('vanilla', 'user-page-varied', 200),
  cell('caches-off', 'user-page-identical', 900),
  cell('caches-on', 'user-page-identical', 5000, 2, 210),
  cell('vanilla', 'user-page-identical', 200),
  cell('bare-http', 'user-page-identical', 9000),
  cell('caches-off', 'product', 800, 3.5),
  cell('caches-on', 'product', 4200),
  cell('vanilla', 'product', 400),
  cell('subgraph', 'product', 1500, 2.8),
  cell('caches-on', 'feed', 3000),
  cell('vanilla', 'feed', 100),
];

describe('ratioToVanilla', () => {
  it("divides a target's throughput by vanilla's on the same workload", () => {
    expect(ratioToVanilla({ cells }, 'caches-off', 'user-page-varied')).toBeCloseTo(1.3);
    expect(ratioToVanilla({ cells }, 'caches-on', 'feed')).toBe(30);
  });

  it('has no ratio when either side is missing or completed no request', () => {
    expect(ratioToVanilla({ cells }, 'bare-http', 'feed')).toBeUndefined();
    const stalled = [{ ...cell('caches-off', 'feed', 0), requests: 0 }, cell('vanilla', 'feed', 100)];
    expect(ratioToVanilla({ cells: stalled }, 'caches-off', 'feed')).toBeUndefined();
    // Vanilla answered, but only with errors: no throughput to divide by.
    const failing = [cell('caches-off', 'feed', 50), { ...cell('vanilla', 'feed', 0), requests: 3, failures: 3 }];
    expect(ratioToVanilla({ cells: failing }, 'caches-off', 'feed')).toBeUndefined();
  });
});

describe('evaluateTargets', () => {
  const verdicts = evaluateTargets({ cells, nPlusOne });
  const verdict = (prefix: string) => verdicts.find((entry) => entry.target.startsWith(prefix))!;

  it('meets a ratio target at exactly its goal and misses it below', () => {
    expect(verdict('Caches off: ≥ 1.3×')).toMatchObject({ measured: '1.30× vanilla', met: true });
    expect(verdict('Caches off: ≥ 4×')).toMatchObject({ measured: '4.50× vanilla', met: true });
    const below = evaluateTargets({ cells: [cell('caches-off', 'user-page-varied', 252), cell('vanilla', 'user-page-varied', 200)], nPlusOne });
    expect(below[0]).toMatchObject({ measured: '1.26× vanilla', met: false });
  });

  it('judges caches on by the lowest of the repeated workloads', () => {
    expect(verdict('Caches on')).toMatchObject({ met: false });
    expect(verdict('Caches on').measured).toBe('product 11×, user-page-identical 25×, feed 30×');
  });

  it('compares the response-cache hit with the bare server, and the product p50 with the subgraph called directly', () => {
    expect(verdict('A response-cache hit')).toMatchObject({ met: true });
    expect(verdict('A response-cache hit').measured).toMatch(/^0\.56× bare/);
    expect(verdict('One product by id')).toMatchObject({ measured: '+0.70 ms (3.50 against 2.80 ms)', met: true });
  });

  it("takes N+1 from bench:n+1's last result, with its date, and RSS from our gateways' peak", () => {
    expect(verdict('N+1')).toMatchObject({ met: false });
    expect(verdict('N+1').measured).toContain('2026-11-24');
    expect(verdict('Gateway RSS')).toMatchObject({ measured: 'peak 210.00 MB', met: false });
  });

  it('says what was not measured instead of a verdict', () => {
    const none = evaluateTargets({ cells: [], nPlusOne: null });
    expect(none.every((entry) => entry.met === undefined)).toBe(true);
    expect(none.find((entry) => entry.target.startsWith('N+1'))!.measured).toBe('no bench:n+1 result');
  });
});

describe('workloadRows', () => {
  it('gives each target its throughput, ratio, latency, CPU per process and RSS', () => {
    const rows = workloadRows({ cells }, 'product');
    expect(rows.map((row) => row[0])).toEqual(['our gateway, caches off', 'our gateway, caches on', 'vanilla Apollo Gateway', 'the subgraph, called directly']);
    expect(rows[0]).toEqual(['our gateway, caches off', '800', '2.0×', '3.50 ms', '10.50 ms', '90%', '50% / 25% / 10%', '150.00 MB', '0']);
    // The subgraph called directly is itself one of the subgraph processes.
    expect(rows[3]![5]).toBe('–');
  });
});

describe('cpuMsPerRequest and capacityRows', () => {
  it("divide each process's CPU use by the throughput: the CPU time one request costs, and what a core serves", () => {
    // 90% of a core at 800 req/s: 1.125 ms a request; the subgraphs 85% together: 1.0625 ms.
    const cost = cpuMsPerRequest(cell('caches-off', 'product', 800))!;
    expect(cost.target).toBeCloseTo(1.125);
    expect(cost.subgraphs).toBeCloseTo(1.0625);
    expect(cpuMsPerRequest(cell('subgraph', 'product', 1500))!.target).toBeUndefined();
    expect(capacityRows({ cells: [cell('caches-off', 'product', 800), cell('bare-http', 'product', 9000)] })).toEqual([
      ['product', 'our gateway, caches off', '1.13', '889', '1.06', '941'],
    ]);
  });
});

describe('renderGatewayReport', () => {
  it('marks the report as generated and shows the commit and every target', () => {
    const results: GatewayBenchResults = {
      benchmark: 'gateway',
      date: '2026-12-02T03:00:00.000Z',
      durationSeconds: 240,
      commit: 'abc1234',
      machine: { node: 'v20.20.2', cpus: '2 × AMD EPYC', memoryGiB: 24, platform: 'linux x64' },
      loadAverage: { before: 1, after: 2 },
      versions: { '@apollo/gateway': '2.14.4' },
      settings: { connections: 20, rounds: 2, roundSeconds: 5, warmupSeconds: 1, cacheStore: 'memory' },
      seed: { users: 5000 },
      workloads: [{ id: 'product', title: 'One product by id', query: 'query { product }', variables: 'none' }],
      cells,
      nPlusOne,
    };
    const { markdown, chart } = renderGatewayReport(results);
    expect(markdown).toMatch(/^<!-- Generated by `npm run bench:gateway`.*do not edit by hand/);
    expect(markdown).toContain('abc1234');
    expect(markdown.match(/\*\*(met|missed)\*\*/g)).toHaveLength(7);
    expect(chart).toMatch(/^<svg/);
  });
});
