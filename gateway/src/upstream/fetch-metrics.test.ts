import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { subgraphFetchDuration } from '#lib/service/metrics.ts';
import { networkError, stubCall, upstreamRequest } from '../../../test/upstream-requests.ts';
import { fetchMetrics } from './fetch-metrics.ts';

async function countOf(subgraph: string, outcome: string) {
  const { values } = await subgraphFetchDuration.get();
  return values.find((value) => value.metricName?.endsWith('_count') && value.labels.subgraph === subgraph && value.labels.outcome === outcome)?.value ?? 0;
}

describe('fetchMetrics', () => {
  it('counts each attempt by outcome: ok, http_<status>, failed', async () => {
    const request = upstreamRequest('{ a }', { subgraph: 'metrics-test' });
    await fetchMetrics(stubCall().call)(request);
    const httpError = new GraphQLError('503: Service Unavailable', { extensions: { response: { status: 503 } } });
    await fetchMetrics(stubCall(() => Promise.reject(httpError)).call)(request).catch(() => {});
    await fetchMetrics(stubCall(() => Promise.reject(networkError())).call)(request).catch(() => {});
    expect([await countOf('metrics-test', 'ok'), await countOf('metrics-test', 'http_503'), await countOf('metrics-test', 'failed')]).toEqual([1, 1, 1]);
  });
});
