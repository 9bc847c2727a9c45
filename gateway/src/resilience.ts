// How the gateway talks to a subgraph: over a keep-alive connection pool, with a timeout per
// fetch, retries with backoff for queries only (a mutation may have taken effect before the
// connection broke: replaying it could charge twice), and a circuit breaker that stops calling
// a subgraph that keeps failing, then tries again by itself. A subgraph that cannot answer becomes
// SUBGRAPH_UNAVAILABLE on its fields, naming it, while the rest of the response is served.
import type { Fetcher } from '@apollo/utils.fetcher';
import CircuitBreaker from 'opossum';
import { Agent, fetch } from 'undici';
import { z } from 'zod';
import { domainError, ErrorCode } from '#lib/service/errors.ts';
import type { Logger } from '#lib/service/logger.ts';
import { subgraphFetchDuration } from '#lib/service/metrics.ts';

export interface ResilienceSettings {
  /** Longest a single fetch may take. */
  timeoutMs: number;
  /** Extra attempts for a query whose fetch failed at the network level or timed out. */
  retries: number;
  /** First backoff; it doubles per retry, with jitter. */
  retryBackoffMs: number;
  /** Failures in a row that open the circuit. */
  breakerFailures: number;
  /** How long an open circuit waits before it lets one trial request through. */
  breakerResetMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = {
  timeoutMs: 3_000,
  retries: 2,
  retryBackoffMs: 50,
  breakerFailures: 5,
  breakerResetMs: 10_000,
};

const positiveInt = z.coerce.number().int().nonnegative();

export function resilienceSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ResilienceSettings {
  const value = (name: string, fallback: number) => (env[name] === undefined ? fallback : positiveInt.parse(env[name]));
  return {
    timeoutMs: value('SUBGRAPH_TIMEOUT_MS', DEFAULT_RESILIENCE.timeoutMs),
    retries: value('SUBGRAPH_RETRIES', DEFAULT_RESILIENCE.retries),
    retryBackoffMs: DEFAULT_RESILIENCE.retryBackoffMs,
    breakerFailures: value('SUBGRAPH_BREAKER_FAILURES', DEFAULT_RESILIENCE.breakerFailures),
    breakerResetMs: value('SUBGRAPH_BREAKER_RESET_MS', DEFAULT_RESILIENCE.breakerResetMs),
  };
}

/** The gateway writes its subgraph operations as `query …` or `mutation …`. */
function isMutation(body: unknown): boolean {
  return typeof body === 'string' && body.startsWith('{"query":"mutation');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ResilientFetcher {
  fetcher: Fetcher;
  close(): Promise<void>;
}

export function resilientFetcher(subgraph: string, settings: ResilienceSettings, logger: Logger): ResilientFetcher {
  const pool = new Agent({ keepAliveTimeout: 30_000, connections: 128 });
  const attempt = async (url: string, init: Parameters<Fetcher>[1]) => {
    const stop = subgraphFetchDuration.startTimer({ subgraph });
    try {
      const response = await fetch(url, {
        method: init?.method,
        headers: init?.headers as Record<string, string>,
        body: init?.body as string,
        dispatcher: pool,
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      stop({ outcome: response.ok ? 'ok' : `http_${response.status}` });
      return response;
    } catch (error) {
      stop({ outcome: 'failed' });
      throw error;
    }
  };
  // Network failures and timeouts open the circuit; an HTTP error is an answer, not an outage.
  const breaker = new CircuitBreaker(attempt, {
    timeout: false,
    volumeThreshold: settings.breakerFailures,
    errorThresholdPercentage: 100,
    rollingCountTimeout: Math.max(settings.breakerResetMs, 1_000),
    resetTimeout: settings.breakerResetMs,
  });
  breaker.on('open', () => logger.warn({ subgraph }, `circuit to ${subgraph} opened: it is failing, calls stop for a while`));
  breaker.on('halfOpen', () => logger.info({ subgraph }, `circuit to ${subgraph} half-open: trying it again`));
  breaker.on('close', () => logger.info({ subgraph }, `circuit to ${subgraph} closed: it answers again`));

  const unavailable = (cause: unknown) => {
    const error = domainError(ErrorCode.SubgraphUnavailable, `The ${subgraph} service is unavailable; its fields are null.`);
    error.extensions.serviceName = subgraph;
    logger.warn({ subgraph, err: cause }, `${subgraph} unavailable`);
    return error;
  };

  const fetcher = (async (url, init) => {
    const attempts = isMutation(init?.body) ? 1 : settings.retries + 1;
    let lastError: unknown;
    for (let index = 0; index < attempts; index++) {
      if (breaker.opened) throw unavailable(new Error('circuit open'));
      try {
        return await breaker.fire(url, init);
      } catch (error) {
        lastError = error;
        if (index + 1 < attempts) await sleep(settings.retryBackoffMs * 2 ** index * (1 + Math.random()));
      }
    }
    throw unavailable(lastError);
  }) as Fetcher;

  return {
    fetcher,
    close: async () => {
      breaker.shutdown();
      await pool.close();
    },
  };
}
