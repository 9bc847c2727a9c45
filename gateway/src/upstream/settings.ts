// The upstream pipeline's settings, their defaults (each unit's own) and the environment
// variables that tune them.
import { environment, type EnvironmentSource } from '#lib/service/env.ts';
import { DEFAULT_CIRCUIT_BREAKER } from './circuit-breaker.ts';
import { DEFAULT_FETCH_TIMEOUT } from './fetch-timeout.ts';
import { DEFAULT_RETRY } from './retry.ts';

export interface ResilienceSettings {
  /** Longest a single attempt may take. */
  timeoutMs: number;
  /** Extra attempts for a query whose fetch failed at the network level or timed out. */
  retries: number;
  /** First backoff; it doubles per retry, with jitter. */
  retryBackoffMs: number;
  /** Failures in a row that open the circuit. */
  breakerFailures: number;
  /** How long an open circuit waits before it lets one trial request through. */
  breakerResetMs: number;
  /** Identical query fetches in flight at once share one request (dedupe.ts). */
  dedupe: boolean;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = {
  timeoutMs: DEFAULT_FETCH_TIMEOUT.timeoutMs,
  retries: DEFAULT_RETRY.retries,
  retryBackoffMs: DEFAULT_RETRY.backoffMs,
  breakerFailures: DEFAULT_CIRCUIT_BREAKER.failures,
  breakerResetMs: DEFAULT_CIRCUIT_BREAKER.resetMs,
  dedupe: true,
};

export function resilienceSettingsFromEnv(source?: EnvironmentSource): ResilienceSettings {
  const values = environment(source);
  return {
    timeoutMs: values.SUBGRAPH_TIMEOUT_MS ?? DEFAULT_RESILIENCE.timeoutMs,
    retries: values.SUBGRAPH_RETRIES ?? DEFAULT_RESILIENCE.retries,
    retryBackoffMs: DEFAULT_RESILIENCE.retryBackoffMs,
    breakerFailures: values.SUBGRAPH_BREAKER_FAILURES ?? DEFAULT_RESILIENCE.breakerFailures,
    breakerResetMs: values.SUBGRAPH_BREAKER_RESET_MS ?? DEFAULT_RESILIENCE.breakerResetMs,
    dedupe: values.UPSTREAM_DEDUPE === undefined ? DEFAULT_RESILIENCE.dedupe : values.UPSTREAM_DEDUPE === 'on',
  };
}
