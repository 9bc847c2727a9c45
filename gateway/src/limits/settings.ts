// Every limit the gateway applies, with its default and the environment variable that tunes it.
// The defaults fit every query of the docs, the tests, the benchmarks and the web app (the
// deepest is 4 levels; the largest costs 21,101) and refuse what only an attacker sends.
import { environment, type EnvironmentSource } from '#lib/service/env.ts';

export interface RateLimitSettings {
  /** Cost units a client may spend at once (the bucket's size). */
  capacity: number;
  /** Cost units given back per second. */
  refillPerSecond: number;
}

export interface LimitSettings {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Longest an operation may take at the gateway before it answers with what it has. */
  operationTimeoutMs: number;
  /** False turns rate limiting off (benchmarks of other things). */
  rateLimit: RateLimitSettings | false;
  /** Flat prices of mutations that are expensive or abusable, charged when dearer than their cost. */
  mutationCosts: Record<string, number>;
  /** Namespace of the rate-limit buckets in Redis: deployments that share a Redis each need their own. */
  rateLimitKeyPrefix: string;
}

export const DEFAULT_LIMITS: LimitSettings = {
  maxDepth: 5,
  maxCost: 25_000,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2_000,
  operationTimeoutMs: 5_000,
  rateLimit: { capacity: 100_000, refillPerSecond: 1_000 },
  // Guessing passwords or making accounts in bulk costs what 100 large queries do.
  mutationCosts: { logIn: 2_000, signUp: 2_000, refreshToken: 200, placeOrder: 1_000 },
  rateLimitKeyPrefix: 'ratelimit:',
};

export function limitSettingsFromEnv(source?: EnvironmentSource): LimitSettings {
  const values = environment(source);
  const defaultRate = DEFAULT_LIMITS.rateLimit as RateLimitSettings;
  return {
    ...DEFAULT_LIMITS,
    maxDepth: values.MAX_QUERY_DEPTH ?? DEFAULT_LIMITS.maxDepth,
    maxCost: values.MAX_QUERY_COST ?? DEFAULT_LIMITS.maxCost,
    maxAliases: values.MAX_QUERY_ALIASES ?? DEFAULT_LIMITS.maxAliases,
    maxDirectives: values.MAX_QUERY_DIRECTIVES ?? DEFAULT_LIMITS.maxDirectives,
    maxTokens: values.MAX_QUERY_TOKENS ?? DEFAULT_LIMITS.maxTokens,
    operationTimeoutMs: values.OPERATION_TIMEOUT_MS ?? DEFAULT_LIMITS.operationTimeoutMs,
    rateLimit:
      values.RATE_LIMIT === 'off'
        ? false
        : {
            capacity: values.RATE_LIMIT_CAPACITY ?? defaultRate.capacity,
            refillPerSecond: values.RATE_LIMIT_REFILL_PER_SECOND ?? defaultRate.refillPerSecond,
          },
    rateLimitKeyPrefix: values.RATE_LIMIT_KEY_PREFIX ?? DEFAULT_LIMITS.rateLimitKeyPrefix,
  };
}
