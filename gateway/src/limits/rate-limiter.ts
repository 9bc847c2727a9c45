// Token buckets charged by query cost: each client (a user, or an address when anonymous) holds up to
// `capacity` units and gets `refillPerSecond` back. In memory by default; in Redis when
// configured, so every gateway replica draws on one budget. Redis unreachable: the gateway
// keeps limiting with its own buckets, and says so in the log, rather than failing requests.
import ipaddr from 'ipaddr.js';
import { connectedWithin, failFastRedis, FIRST_CONNECTION_WAIT_MS } from '#lib/service/redis.ts';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '#lib/service/auth.ts';
import type { Logger } from '#lib/service/logger.ts';
import type { RateLimitSettings } from './settings.ts';

interface RateDecision {
  allowed: boolean;
  /** Units left after this request. */
  remaining: number;
  /** Seconds until the request could pass (0 when allowed). */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

export interface RateLimiter {
  consume(key: string, cost: number): Promise<RateDecision>;
  /** Resolves when the limiter can share budgets (or gives up waiting); never rejects. */
  connected(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The address a caller's budget is kept under. An IPv6 network usually gives each subscriber a
 * whole /64, so one caller could otherwise take 2^64 fresh budgets: a /64 is one caller. An
 * IPv4 address that reaches a dual-stack socket as `::ffff:a.b.c.d` is that IPv4 address.
 */
export function callerAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const network = new ipaddr.IPv6([...(address as ipaddr.IPv6).parts.slice(0, 4), 0, 0, 0, 0]);
  return `${network.toString()}/64`;
}

/** Whose budget a request draws on: a signed-in user's own, else its address's. */
export function rateLimitClient(viewer: Viewer | null, ip: string): string {
  return viewer ? `user:${viewer.id}` : `ip:${callerAddress(ip)}`;
}

function decide(settings: RateLimitSettings, tokensBefore: number, cost: number): { decision: RateDecision; tokensAfter: number } {
  const allowed = tokensBefore >= cost;
  const tokensAfter = allowed ? tokensBefore - cost : tokensBefore;
  return {
    tokensAfter,
    decision: {
      allowed,
      remaining: Math.floor(tokensAfter),
      retryAfterSeconds: allowed ? 0 : Math.ceil((cost - tokensBefore) / settings.refillPerSecond),
      resetSeconds: Math.ceil((settings.capacity - tokensAfter) / settings.refillPerSecond),
    },
  };
}

export function memoryRateLimiter(settings: RateLimitSettings, now: () => number = Date.now): RateLimiter {
  // Bounded: a flood of distinct IPs evicts the least recent buckets instead of exhausting memory.
  const buckets = new LRUCache<string, { tokens: number; at: number }>({ max: 100_000 });
  return {
    async consume(key, requested) {
      const cost = Math.min(requested, settings.capacity);
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: settings.capacity, at: time };
      const refilled = Math.min(settings.capacity, bucket.tokens + ((time - bucket.at) / 1000) * settings.refillPerSecond);
      const { decision, tokensAfter } = decide(settings, refilled, cost);
      buckets.set(key, { tokens: tokensAfter, at: time });
      return decision;
    },
    async connected() {},
    async close() {},
  };
}

// Runs atomically in Redis, on Redis's clock, so replicas with skewed clocks agree.
const TOKEN_BUCKET_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - at) * rate / 1000)
local before = tokens
if tokens >= cost then tokens = tokens - cost end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return tostring(before)
`;

export interface RedisRateLimiterOptions {
  redisUrl: string;
  keyPrefix: string;
  logger: Logger;
}

export function redisRateLimiter(settings: RateLimitSettings, options: RedisRateLimiterOptions): RateLimiter {
  const redis = failFastRedis(options.redisUrl, 250);
  const fallback = memoryRateLimiter(settings);
  const prefix = options.keyPrefix;
  let degraded = false;
  /** Connected, or about to be: the first requests wait for the first connection, not fall back. */
  const connected = async () => {
    if (degraded && redis.status !== 'ready') throw new Error(`Redis is ${redis.status}`);
    await connectedWithin(redis, FIRST_CONNECTION_WAIT_MS);
  };
  return {
    async consume(key, requested) {
      const cost = Math.min(requested, settings.capacity);
      try {
        await connected();
        const before = Number(await redis.eval(TOKEN_BUCKET_SCRIPT, 1, `${prefix}${key}`, settings.capacity, settings.refillPerSecond, cost));
        if (degraded) options.logger.warn('Redis is back: rate limits are shared across gateways again.');
        degraded = false;
        return decide(settings, before, cost).decision;
      } catch (error) {
        if (!degraded) {
          options.logger.warn({ err: error }, 'Redis unreachable: rate limiting with this gateway’s own buckets until it returns.');
        }
        degraded = true;
        return fallback.consume(key, cost);
      }
    },
    async connected() {
      await connectedWithin(redis, FIRST_CONNECTION_WAIT_MS).catch(() => {});
    },
    async close() {
      redis.disconnect();
    },
  };
}
