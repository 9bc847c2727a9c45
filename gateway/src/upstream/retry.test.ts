import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { networkError, stubCall, upstreamRequest } from '../../../test/upstream-requests.ts';
import { retryQueries } from './retry.ts';

const failingTwice = () =>
  stubCall((_, attempt) => {
    if (attempt <= 2) throw networkError();
    return { data: { ok: true } };
  });

describe('retryQueries', () => {
  it('tries a query again after a failure without an answer, until it gets one', async () => {
    const below = failingTwice();
    const response = await retryQueries({ retries: 2, backoffMs: 1 })(below.call)(upstreamRequest('query { a }'));
    expect(response).toEqual({ data: { ok: true } });
    expect(below.calls).toHaveLength(3);
  });

  it('gives up after its retries with the last failure', async () => {
    const below = failingTwice();
    await expect(retryQueries({ retries: 1, backoffMs: 1 })(below.call)(upstreamRequest('{ a }'))).rejects.toThrow('fetch failed');
    expect(below.calls).toHaveLength(2);
  });

  it('never sends a mutation twice', async () => {
    const below = failingTwice();
    await expect(retryQueries({ retries: 2, backoffMs: 1 })(below.call)(upstreamRequest('mutation { a }'))).rejects.toThrow('fetch failed');
    expect(below.calls).toHaveLength(1);
  });

  it('knows a mutation by its parsed operation, wherever the text puts it', async () => {
    const below = failingTwice();
    const fragmentFirst = 'fragment Fields on Order { id } mutation PlaceOrder__orders__0 { placeOrder { ...Fields } }';
    await expect(retryQueries({ retries: 2, backoffMs: 1 })(below.call)(upstreamRequest(fragmentFirst))).rejects.toThrow('fetch failed');
    expect(below.calls).toHaveLength(1);
  });

  it('does not retry an answer: an HTTP error or an open circuit is already a GraphQL error', async () => {
    const below = stubCall(() => {
      throw new GraphQLError('500: Internal Server Error');
    });
    await expect(retryQueries({ retries: 2, backoffMs: 1 })(below.call)(upstreamRequest('{ a }'))).rejects.toThrow('500');
    expect(below.calls).toHaveLength(1);
  });

  it('stops waiting for its backoff, and tries no more, once the signal fires', async () => {
    const deadline = new AbortController();
    const below = stubCall(() => {
      throw networkError();
    });
    // A backoff of a minute: only the signal can end this call within the test.
    const call = retryQueries({ retries: 5, backoffMs: 60_000 })(below.call)(upstreamRequest('{ a }', { signal: deadline.signal }));
    await new Promise((resolve) => setImmediate(resolve)); // the first attempt has failed; the backoff runs
    deadline.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(below.calls).toHaveLength(1);
  });
});
