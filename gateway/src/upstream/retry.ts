// Queries are tried again when their call got no answer (a broken connection, a timeout), with
// exponential backoff and jitter. Mutations never: one may have taken effect before the
// connection broke, and replaying it could charge twice. The kind comes from the parsed
// subgraph operation, not from its text. An answer is never retried, even an HTTP error or an
// open circuit (both GraphQL errors by then), and nothing is retried once the request's signal
// (the operation's deadline) has fired: the backoff sleep itself ends with it.
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError, OperationTypeNode } from 'graphql';
import type { UpstreamUnit } from './types.ts';

export interface RetryOptions {
  /** Extra attempts for a query (default 2, SUBGRAPH_RETRIES). */
  retries: number;
  /** The first backoff, doubled for each retry and stretched by up to as much again at random (default 50 ms). */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 2, backoffMs: 50 };

export function retryQueries(options: Partial<RetryOptions> = {}): UpstreamUnit {
  const { retries, backoffMs } = { ...DEFAULT_RETRY, ...options };
  return (next) => async (request) => {
    const attempts = request.operation === OperationTypeNode.QUERY ? retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(request);
      } catch (error) {
        if (attempt >= attempts || error instanceof GraphQLError || request.signal?.aborted) throw error;
        await sleep(backoffMs * 2 ** (attempt - 1) * (1 + Math.random()), undefined, { signal: request.signal });
      }
    }
  };
}
