// Each attempt's own time limit, joined to the request's signal (the operation's deadline): the
// attempt ends at whichever comes first. A timed-out attempt is a failure like a broken
// connection: a query may be retried, and the circuit breaker counts it.
import type { UpstreamUnit } from './types.ts';

export interface FetchTimeoutOptions {
  /** Longest one attempt may take (default 3 s, SUBGRAPH_TIMEOUT_MS). */
  timeoutMs: number;
}

export const DEFAULT_FETCH_TIMEOUT: FetchTimeoutOptions = { timeoutMs: 3_000 };

export function fetchTimeout(options: Partial<FetchTimeoutOptions> = {}): UpstreamUnit {
  const { timeoutMs } = { ...DEFAULT_FETCH_TIMEOUT, ...options };
  return (next) => (request) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    return next({ ...request, signal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout });
  };
}
