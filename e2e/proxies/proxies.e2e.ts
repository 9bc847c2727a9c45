// Who the gateway believes a client is, for the rate limit of anonymous requests: the address
// that connected, or, behind proxies named by TRUST_PROXY, the address the nearest trusted proxy
// saw. A client that writes its own X-Forwarded-For must not get a fresh budget from it.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../gateway/src/limits/settings.ts';
import type { RunningService } from '#lib/service/http.ts';
import { postGraphQL } from '../../test/graphql.ts';
import { gatewayInFrontOf, useTestStack } from '../../test/gateway.ts';

const stack = useTestStack();
const previous = process.env.TRUST_PROXY;
const started: RunningService[] = [];

afterEach(async () => {
  for (const gateway of started.splice(0)) await gateway.close();
  if (previous === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = previous;
});

/** A gateway whose budget is three small queries per client, refilled too slowly to matter here. */
async function gatewayTrusting(trustProxy: string | undefined): Promise<RunningService> {
  if (trustProxy === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = trustProxy;
  const gateway = await gatewayInFrontOf(stack, { limits: { ...DEFAULT_LIMITS, rateLimit: { capacity: 3, refillPerSecond: 0.001 } } });
  started.push(gateway);
  return gateway;
}

/** The statuses of a run of anonymous queries, each claiming another address. */
async function statusesClaiming(gateway: RunningService, forwardedFor: (index: number) => string): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < 6; index++) {
    const { status } = await postGraphQL(gateway.url, '{ products(first: 1) { totalCount } }', {}, { 'x-forwarded-for': forwardedFor(index) });
    statuses.push(status);
  }
  return statuses;
}

describe('X-Forwarded-For and the rate limit', () => {
  it('without TRUST_PROXY, is ignored: rotating it gets no fresh budget', async () => {
    const gateway = await gatewayTrusting(undefined);
    const statuses = await statusesClaiming(gateway, (index) => `198.51.100.${index}`);
    expect(statuses[0]).toBe(200);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });

  it('behind one proxy (TRUST_PROXY=1), only the address that proxy appended counts', async () => {
    const gateway = await gatewayTrusting('1');
    // The client forges the first entry; the proxy appends the address it saw.
    const statuses = await statusesClaiming(gateway, (index) => `198.51.100.${index}, 203.0.113.7`);
    expect(statuses[0]).toBe(200);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
    // Another client behind the same proxy has a budget of its own.
    const other = await postGraphQL(gateway.url, '{ products(first: 1) { totalCount } }', {}, { 'x-forwarded-for': '203.0.113.8' });
    expect(other.status).toBe(200);
  });

  it('behind proxies named by address (TRUST_PROXY=loopback), the same', async () => {
    const gateway = await gatewayTrusting('loopback');
    const statuses = await statusesClaiming(gateway, (index) => `198.51.100.${index}, 203.0.113.7`);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });

  it('refuses TRUST_PROXY=true at start, which would let every request claim a new address', async () => {
    await expect(gatewayTrusting('true')).rejects.toThrow(
      /^Invalid HTTP settings: TRUST_PROXY must not be true: it would believe whatever X-Forwarded-For a client sends.*Set the number of proxies/,
    );
  });
});
