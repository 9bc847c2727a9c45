// What every service's HTTP front reads from the environment: which proxies to believe about the
// client's address (TRUST_PROXY), and where /metrics is served (METRICS_PORT, METRICS_HOST).
import { isIP } from 'node:net';
import { z } from 'zod';

export interface HttpSettings {
  /** Express's `trust proxy`: false, a hop count, or the proxies' addresses and subnets. */
  trustProxy: false | number | string[];
  /** Unset: /metrics on the service's own port. Set: on a listener of its own, and only there. */
  metrics: { port?: number; host: string };
}

/** Names proxy-addr (Express's `trust proxy`) gives to the private ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrSubnet(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

const TRUST_PROXY_FORMS =
  'the number of proxies in front of this service (e.g. TRUST_PROXY=1 behind one load balancer) or their addresses ' +
  '(e.g. TRUST_PROXY=10.0.0.0/8,loopback: IPs, CIDR subnets, loopback, linklocal, uniquelocal, comma-separated)';

const trustProxy = z
  .string()
  .optional()
  .transform((value, context): HttpSettings['trustProxy'] => {
    const text = value?.trim() ?? '';
    if (text === '' || text === 'false') return false;
    if (text === 'true') {
      context.addIssue({
        code: 'custom',
        message:
          '"true" would believe whatever X-Forwarded-For a client sends, so every request could claim a new address and ' +
          `a fresh rate-limit budget. Set ${TRUST_PROXY_FORMS}.`,
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(text)) return Number(text);
    const entries = text.split(',').map((entry) => entry.trim());
    const invalid = entries.filter((entry) => !isAddressOrSubnet(entry));
    if (invalid.length) {
      context.addIssue({ code: 'custom', message: `${invalid.map((entry) => `"${entry}"`).join(', ')} is not an address. Set ${TRUST_PROXY_FORMS}.` });
      return z.NEVER;
    }
    return entries;
  });

const PORT = 'must be a port number from 0 to 65535';

const fromEnv = z.object({
  TRUST_PROXY: trustProxy,
  METRICS_PORT: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? Number(value) : undefined))
    .pipe(z.number({ error: PORT }).int(PORT).min(0, PORT).max(65_535, PORT).optional()),
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
});

export function httpSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpSettings {
  const parsed = fromEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid HTTP settings: ${problems}`);
  }
  return {
    trustProxy: parsed.data.TRUST_PROXY,
    metrics: { port: parsed.data.METRICS_PORT, host: parsed.data.METRICS_HOST },
  };
}
