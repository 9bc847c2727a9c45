// Every attempt on the `subgraph_fetch_duration_seconds` histogram, by subgraph and outcome:
// `ok`, `http_<status>` (the subgraph answered with an HTTP error) or `failed` (no answer). No options.
import { GraphQLError } from 'graphql';
import { subgraphFetchDuration } from '#lib/service/metrics.ts';
import { httpStatusOf } from './transport.ts';
import type { UpstreamUnit } from './types.ts';

export const fetchMetrics: UpstreamUnit = (next) => async (request) => {
  const stop = subgraphFetchDuration.startTimer({ subgraph: request.subgraph });
  try {
    const response = await next(request);
    stop({ outcome: 'ok' });
    return response;
  } catch (error) {
    const status = error instanceof GraphQLError ? httpStatusOf(error) : undefined;
    stop({ outcome: status === undefined ? 'failed' : `http_${status}` });
    throw error;
  }
};
