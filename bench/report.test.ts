// The report's verdicts: who is faster and by how much, "even" when the rounds overlap, and the
// numbers as they are printed.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatRatio, latencyWinner, renderReport, type BenchResults, type CellResult, type Style } from './report.ts';

function cell(style: Style, p50: number, roundP50sMs: number[], rttMs = 0): CellResult {
  return {
    scenario: 'screen',
    style,
    rttMs,
    screens: 100,
    elapsedMs: 1000,
    throughputPerSecond: 100,
    latencyMs: { p50, p95: p50 * 2, p99: p50 * 3, mean: p50 },
    roundP50sMs,
    perScreen: { requests: style === 'graphql' ? 1 : 5, bytesDown: style === 'graphql' ? 1000 : 4000, bytesUp: 300 },
    profile: { requests: style === 'graphql' ? 1 : 5, steps: style === 'graphql' ? 1 : 2, sqlStatements: style === 'graphql' ? 2 : 5 },
  };
}

describe('latencyWinner', () => {
  it('names the style with the lower p50 and the factor it wins by', () => {
    expect(latencyWinner(cell('graphql', 10, [9, 11]), cell('rest', 30, [29, 31]))).toEqual({ winner: 'graphql', factor: 3 });
    expect(latencyWinner(cell('graphql', 40, [39, 41]), cell('rest', 10, [10, 10]))).toEqual({ winner: 'rest', factor: 4 });
  });

  it('declares no winner when the rounds of the two styles overlap', () => {
    // REST's p50 is lower overall, but one of its rounds was slower than one of GraphQL's.
    expect(latencyWinner(cell('graphql', 10.4, [10.2, 10.6]), cell('rest', 10, [9.5, 10.3]))).toEqual({ winner: null, factor: 1.04 });
    expect(latencyWinner(cell('graphql', 10.4, [10.2, 10.6]), cell('rest', 10, [9.5, 10.1])).winner).toBe('rest');
  });
});

describe('formatting', () => {
  it('prints bytes and ratios as the report shows them', () => {
    expect([formatBytes(999), formatBytes(2289), formatBytes(265_620), formatBytes(3_100_000)]).toEqual(['999 B', '2.29 kB', '265.6 kB', '3.10 MB']);
    expect([formatRatio(1.04), formatRatio(3.14), formatRatio(15.4)]).toEqual(['1.04×', '3.1×', '15×']);
  });
});

describe('renderReport', () => {
  it('puts each pair in the summary with its verdict, and draws a chart per round-trip time', () => {
    const results: BenchResults = {
      benchmark: 'rest-vs-graphql',
      date: '2026-11-24T05:00:00.000Z',
      durationSeconds: 240,
      machine: { node: 'v20', cpus: '2 × cpu', memoryGiB: 8, platform: 'linux x64' },
      loadAverage: { before: 1, after: 1 },
      versions: { node: 'v20' },
      settings: {
        concurrency: 4,
        minDurationMs: 6000,
        minIterations: 20,
        maxDurationMs: 12000,
        warmupIterations: 1,
        roundTripsMs: [0, 80],
        connectionsPerOrigin: 6,
        gatewayCache: false,
      },
      scale: { users: 10 },
      inputs: { userId: '1' },
      scenarios: [{ id: 'screen', title: 'A screen', screen: 'something', signedIn: false, graphqlQuery: '{ a }', restRequests: 'GET /a' }],
      cells: [cell('graphql', 10, [9, 11]), cell('rest', 5, [4, 6]), cell('graphql', 90, [89, 91], 80), cell('rest', 270, [260, 280], 80)],
    };
    const { markdown, charts } = renderReport(results);
    expect(markdown).toContain(
      '| A screen | 1 / 5 (2 steps) | 1.00 kB / 4.00 kB | 2 / 5 | 10.0 ms / 5.0 ms → **REST 2.0×** | 90.0 ms / 270 ms → **GraphQL 3.0×** |',
    );
    expect(markdown).toContain('GraphQL has the lower p50 in 1, REST in 1.');
    expect(Object.keys(charts).sort()).toEqual([
      'results/rest-vs-graphql-bytes.svg',
      'results/rest-vs-graphql-latency-0ms.svg',
      'results/rest-vs-graphql-latency-80ms.svg',
      'results/rest-vs-graphql-speedup.svg',
      'results/rest-vs-graphql-throughput.svg',
    ]);
  });
});
