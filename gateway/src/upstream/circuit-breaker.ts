// One circuit breaker per subgraph (opossum): a subgraph whose calls keep failing is not called
// for a while, its fields failing at once with SUBGRAPH_UNAVAILABLE instead of each operation
// waiting for timeouts; then one trial call goes through, and a success closes the circuit.
// Below the retries, so that each attempt counts: `failures` network failures or timeouts in a
// row open it. An HTTP error is an answer, not an outage, and a call the operation's deadline
// ended says nothing about the subgraph: neither counts, and either ends the streak.
import CircuitBreaker from 'opossum';
import { GraphQLError } from 'graphql';
import type { Logger } from '#lib/service/logger.ts';
import type { SubgraphCall, UpstreamRequest, UpstreamResponse, UpstreamUnit } from './types.ts';
import { subgraphUnavailable } from './unavailable.ts';

export interface CircuitBreakerOptions {
  /** Failures in a row that open the circuit (default 5, SUBGRAPH_BREAKER_FAILURES). */
  failures: number;
  /** How long an open circuit waits before it lets one trial call through (default 10 s, SUBGRAPH_BREAKER_RESET_MS). */
  resetMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = { failures: 5, resetMs: 10_000 };

export interface CircuitBreakers {
  unit: UpstreamUnit;
  /** Stops the breakers' timers. */
  close(): void;
}

export function circuitBreakers(logger: Logger, options: Partial<CircuitBreakerOptions> = {}): CircuitBreakers {
  const { failures, resetMs } = { ...DEFAULT_CIRCUIT_BREAKER, ...options };
  const created: CircuitBreaker[] = [];

  const breakerOf = (subgraph: string, call: SubgraphCall) => {
    const breaker = new CircuitBreaker(call, {
      timeout: false,
      // Opossum's own rule (the failure rate in a rolling window exceeds a percentage) is off: a
      // rate above 100% never happens. The circuit opens on failures in a row, counted below.
      errorThresholdPercentage: 100,
      resetTimeout: resetMs,
      // Not failures: an answer (an HTTP error is one), or a call the operation's deadline ended.
      errorFilter: (error: unknown, request?: UpstreamRequest) => error instanceof GraphQLError || request?.signal?.aborted === true,
    });
    let inARow = 0;
    breaker.on('success', () => (inARow = 0));
    breaker.on('failure', () => {
      inARow += 1;
      if (inARow >= failures && breaker.closed) breaker.open();
    });
    breaker.on('open', () => logger.warn({ subgraph }, `circuit to ${subgraph} opened: it is failing, calls stop for a while`));
    breaker.on('halfOpen', () => logger.info({ subgraph }, `circuit to ${subgraph} half-open: trying it again`));
    breaker.on('close', () => logger.info({ subgraph }, `circuit to ${subgraph} closed: it answers again`));
    created.push(breaker);
    return breaker;
  };

  return {
    unit: (next) => {
      const bySubgraph = new Map<string, CircuitBreaker<[UpstreamRequest], UpstreamResponse>>();
      return async (request) => {
        let breaker = bySubgraph.get(request.subgraph);
        if (!breaker) bySubgraph.set(request.subgraph, (breaker = breakerOf(request.subgraph, next)));
        try {
          return await breaker.fire(request);
        } catch (error) {
          // Refused without calling: the circuit is open.
          if (CircuitBreaker.isOurError(error as Error)) throw subgraphUnavailable(request.subgraph);
          throw error;
        }
      };
    },
    close: () => {
      for (const breaker of created) breaker.shutdown();
    },
  };
}
