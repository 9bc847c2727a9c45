import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '#lib/service/logger.ts';
import { networkError, stubCall, upstreamRequest } from '../../../test/upstream-requests.ts';
import { circuitBreakers, type CircuitBreakers } from './circuit-breaker.ts';

let breakers: CircuitBreakers[] = [];
afterEach(() => {
  for (const breaker of breakers) breaker.close();
  breakers = [];
});

/** A subgraph call behind a breaker, whose outcome the test sets for each call. */
function behindBreaker(failures: number, resetMs = 60_000) {
  let outcome: () => unknown = () => ({ data: {} });
  const below = stubCall(() => outcome() as { data: object });
  const breaker = circuitBreakers(createLogger('test'), { failures, resetMs });
  breakers.push(breaker);
  const call = breaker.unit(below.call);
  return {
    below,
    send: (request = upstreamRequest('{ a }')) => call(request),
    set: (next: () => unknown) => (outcome = next),
  };
}

const failWith = (error: Error) => () => {
  throw error;
};

describe('circuitBreakers', () => {
  it('opens after `failures` network failures in a row: then answers SUBGRAPH_UNAVAILABLE without calling', async () => {
    const { below, send, set } = behindBreaker(3);
    set(failWith(networkError()));
    for (let i = 0; i < 3; i++) await expect(send()).rejects.toThrow('fetch failed');
    await expect(send()).rejects.toMatchObject({
      message: 'The posts service is unavailable; its fields are null.',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'posts' },
    });
    expect(below.calls).toHaveLength(3);
  });

  it('counts failures in a row only: an answer in between ends the streak', async () => {
    const { below, send, set } = behindBreaker(2);
    set(failWith(networkError()));
    await expect(send()).rejects.toThrow('fetch failed');
    set(() => ({ data: {} }));
    await send();
    set(failWith(networkError()));
    await expect(send()).rejects.toThrow('fetch failed');
    await expect(send()).rejects.toThrow('fetch failed');
    expect(below.calls).toHaveLength(4);
  });

  it("does not count HTTP errors (answers), nor calls ended by the operation's deadline", async () => {
    const { below, send, set } = behindBreaker(2);
    set(failWith(new GraphQLError('500: Internal Server Error')));
    for (let i = 0; i < 3; i++) await expect(send()).rejects.toThrow('500');
    const deadline = new AbortController();
    deadline.abort();
    set(failWith(new DOMException('This operation was aborted', 'AbortError')));
    for (let i = 0; i < 3; i++) await expect(send(upstreamRequest('{ a }', { signal: deadline.signal }))).rejects.toThrow('aborted');
    set(() => ({ data: { ok: true } }));
    expect(await send()).toEqual({ data: { ok: true } });
    expect(below.calls).toHaveLength(7);
  });

  it('lets one trial call through after resetMs, and closes when it succeeds', async () => {
    const { below, send, set } = behindBreaker(1, 50);
    set(failWith(networkError()));
    await expect(send()).rejects.toThrow('fetch failed');
    await expect(send()).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    await sleep(80);
    set(() => ({ data: { ok: true } }));
    expect(await send()).toEqual({ data: { ok: true } });
    expect(await send()).toEqual({ data: { ok: true } });
    expect(below.calls).toHaveLength(3);
  });

  it('keeps one circuit per subgraph', async () => {
    const { below, send, set } = behindBreaker(1);
    set(failWith(networkError()));
    await expect(send()).rejects.toThrow('fetch failed');
    await expect(send()).rejects.toMatchObject({ extensions: { serviceName: 'posts' } });
    set(() => ({ data: {} }));
    expect(await send(upstreamRequest('{ a }', { subgraph: 'users' }))).toEqual({ data: {} });
    expect(below.calls.map((call) => call.subgraph)).toEqual(['posts', 'users']);
  });
});
