// The kinds of value an environment variable holds, each with the words that say what it must be.
// A rule reads a variable's text (never blank: env.ts makes blank unset) and gives its value; its
// message follows the variable's name: "GATEWAY_PORT must be a port number between 0 and 65535".
import { isIP } from 'node:net';
import { z } from 'zod';

/** "a, b or c" (the conjunction given) */
export function listed(items: readonly string[], conjunction: string): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

/** `must be a whole number of seconds from 1 to 3600, an hour`, or `…, 1 or more` without a maximum. */
export function wholeNumber(options: { min: number; max?: number; unit?: string; maxInWords?: string }) {
  const { min, max, unit, maxInWords } = options;
  const range = max === undefined ? `, ${min} or more` : ` from ${min} to ${max}${maxInWords ? `, ${maxInWords}` : ''}`;
  const message = `must be a whole number${unit ? ` of ${unit}` : ''}${range}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((value) => value >= min && value <= (max ?? Infinity), message);
}

/** A port to listen on; `note` adds what 0 means where it means something. */
export function port(note = '') {
  const message = `must be a port number between 0 and 65535${note}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((value) => value <= 65_535, message);
}

export function oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.enum(values, { error: `must be ${listed(values, 'or')}` });
}

export function url(example: string) {
  return z.string().refine((value) => URL.canParse(value), `must be a URL, e.g. ${example}`);
}

export function text() {
  return z.string();
}

export function matching(pattern: RegExp, message: string) {
  return z.string().regex(pattern, message);
}

/** Comma-separated, e.g. browser origins. */
export function list() {
  return z.string().transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );
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
  'Set the number of proxies in front of this service (e.g. TRUST_PROXY=1 behind one load balancer) or their addresses ' +
  '(e.g. TRUST_PROXY=10.0.0.0/8,loopback: IPs, CIDR subnets, loopback, linklocal, uniquelocal, comma-separated)';

/** Express's `trust proxy`: false, a hop count, or the proxies' addresses and subnets. */
export type TrustProxy = false | number | string[];

/** TRUST_PROXY: which proxies' X-Forwarded-For to believe about the client's address. */
export function trustProxy() {
  return z.string().transform((value, context): TrustProxy => {
    const text = value.trim();
    if (text === 'false') return false;
    if (text === 'true') {
      context.addIssue({
        code: 'custom',
        message:
          'must not be true: it would believe whatever X-Forwarded-For a client sends, so every request could claim a new ' +
          `address and a fresh rate-limit budget. ${TRUST_PROXY_FORMS}`,
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(text)) return Number(text);
    const entries = text.split(',').map((entry) => entry.trim());
    const invalid = entries.filter((entry) => !isAddressOrSubnet(entry));
    if (invalid.length) {
      context.addIssue({
        code: 'custom',
        message: `must name proxies by number or address: ${invalid.map((entry) => `"${entry}"`).join(', ')} is not an address. ${TRUST_PROXY_FORMS}`,
      });
      return z.NEVER;
    }
    return entries;
  });
}
