// What every service's HTTP front reads from the environment: which proxies to believe about the
// client's address (TRUST_PROXY), and where /metrics is served (METRICS_PORT, METRICS_HOST).
import { environment, type EnvironmentSource } from './env.ts';
import type { TrustProxy } from './env-rules.ts';

export interface HttpSettings {
  /** Express's `trust proxy`: false, a hop count, or the proxies' addresses and subnets. */
  trustProxy: TrustProxy;
  /** Unset: /metrics on the service's own port. Set: on a listener of its own, and only there. */
  metrics: { port?: number; host: string };
}

export function httpSettingsFromEnv(source?: EnvironmentSource): HttpSettings {
  const env = environment(source);
  return { trustProxy: env.TRUST_PROXY, metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST } };
}
