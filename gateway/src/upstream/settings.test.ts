import { describe, expect, it } from 'vitest';
import { DEFAULT_RESILIENCE, resilienceSettingsFromEnv } from './settings.ts';

describe('resilienceSettingsFromEnv', () => {
  it('takes the defaults when nothing is set', () => {
    expect(resilienceSettingsFromEnv({})).toEqual(DEFAULT_RESILIENCE);
    expect(DEFAULT_RESILIENCE).toEqual({ timeoutMs: 3_000, retries: 2, retryBackoffMs: 50, breakerFailures: 5, breakerResetMs: 10_000, dedupe: true });
  });

  it('reads SUBGRAPH_TIMEOUT_MS, SUBGRAPH_RETRIES, SUBGRAPH_BREAKER_* and UPSTREAM_DEDUPE', () => {
    const env = {
      SUBGRAPH_TIMEOUT_MS: '1500',
      SUBGRAPH_RETRIES: '0',
      SUBGRAPH_BREAKER_FAILURES: '3',
      SUBGRAPH_BREAKER_RESET_MS: '2000',
      UPSTREAM_DEDUPE: 'off',
    };
    expect(resilienceSettingsFromEnv(env)).toEqual({
      timeoutMs: 1_500,
      retries: 0,
      retryBackoffMs: 50,
      breakerFailures: 3,
      breakerResetMs: 2_000,
      dedupe: false,
    });
  });

  it('refuses what is not a whole number in range, naming the variable', () => {
    expect(() => resilienceSettingsFromEnv({ SUBGRAPH_TIMEOUT_MS: 'soon' })).toThrow(/Invalid subgraph resilience settings: SUBGRAPH_TIMEOUT_MS/);
    expect(() => resilienceSettingsFromEnv({ SUBGRAPH_RETRIES: '-1' })).toThrow(/SUBGRAPH_RETRIES/);
    expect(() => resilienceSettingsFromEnv({ SUBGRAPH_BREAKER_FAILURES: '0' })).toThrow(/SUBGRAPH_BREAKER_FAILURES/);
  });
});
