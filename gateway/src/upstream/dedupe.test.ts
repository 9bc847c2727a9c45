import { Headers } from 'undici';
import { describe, expect, it } from 'vitest';
import { register } from 'prom-client';
import { stubCall, upstreamRequest } from '../../../test/upstream-requests.ts';
import { dedupeQueries } from './dedupe.ts';
import type { UpstreamRequest, UpstreamResponse } from './types.ts';

/** The units below, answering only when the test says so. */
function heldCall() {
  const releases: (() => void)[] = [];
  const below = stubCall(
    (request) =>
      new Promise<UpstreamResponse>((resolve, reject) => {
        request.signal?.addEventListener('abort', () => reject(request.signal!.reason));
        releases.push(() => resolve({ data: { post: { title: 'Hello', tags: ['a'] } } }));
      }),
  );
  return { ...below, answerAll: () => releases.splice(0).forEach((release) => release()) };
}

const query = '{ post(id: "1") { title tags } }';
const withHeaders = (headers: Record<string, string>, overrides: Partial<UpstreamRequest> = {}) =>
  upstreamRequest(query, { headers: new Headers({ 'content-type': 'application/json', ...headers }), ...overrides });

async function dedupeCount(role: string): Promise<number> {
  const metric = await register.getSingleMetric('subgraph_fetch_dedupe_total')!.get();
  return metric.values.filter((value) => value.labels.role === role).reduce((sum, value) => sum + value.value, 0);
}

describe('dedupeQueries', () => {
  it('sends identical queries in flight at once as one fetch, and gives each caller data of its own', async () => {
    const below = heldCall();
    const call = dedupeQueries()(below.call);
    const followersBefore = await dedupeCount('follower');
    // Only the request id differs: it does not change the answer.
    const answers = Promise.all([call(withHeaders({ 'x-request-id': 'a' })), call(withHeaders({ 'x-request-id': 'b' }))]);
    below.answerAll();
    const [first, second] = await answers;
    expect(below.calls).toHaveLength(1);
    expect(first).toEqual({ data: { post: { title: 'Hello', tags: ['a'] } } });
    expect(second).toEqual(first);
    expect(second.data).not.toBe(first.data);
    expect(await dedupeCount('follower')).toBe(followersBefore + 1);
  });

  it('shares variables whatever the order of their keys', async () => {
    const below = heldCall();
    const call = dedupeQueries()(below.call);
    const answers = Promise.all([
      call(upstreamRequest(query, { variables: { representations: [{ __typename: 'Post', id: '1' }] } })),
      call(upstreamRequest(query, { variables: { representations: [{ id: '1', __typename: 'Post' }] } })),
      call(upstreamRequest(query, { variables: { representations: [{ id: '2', __typename: 'Post' }] } })),
    ]);
    below.answerAll();
    await answers;
    expect(below.calls).toHaveLength(2);
  });

  it('never shares a fetch between different credentials, nor between a user and an anonymous caller', async () => {
    const below = heldCall();
    const call = dedupeQueries()(below.call);
    const answers = Promise.all([
      call(withHeaders({ authorization: 'Bearer token-of-alice' })),
      call(withHeaders({ authorization: 'Bearer token-of-bob' })),
      call(withHeaders({})),
      call(withHeaders({ cookie: 'refresh_token=r' })),
    ]);
    below.answerAll();
    await answers;
    expect(below.calls.map((request) => request.headers.get('authorization'))).toEqual(['Bearer token-of-alice', 'Bearer token-of-bob', null, null]);
  });

  it('never shares a mutation', async () => {
    const below = stubCall();
    const call = dedupeQueries()(below.call);
    const mutation = upstreamRequest('mutation { placeOrder { id } }');
    await Promise.all([call(mutation), call(mutation)]);
    expect(below.calls).toHaveLength(2);
  });

  it('starts anew once the answer is back: nothing is cached', async () => {
    const below = stubCall();
    const call = dedupeQueries()(below.call);
    await call(upstreamRequest(query));
    await call(upstreamRequest(query));
    expect(below.calls).toHaveLength(2);
  });

  it('lets one caller leave without ending the fetch the others wait for', async () => {
    const below = heldCall();
    const call = dedupeQueries()(below.call);
    const impatient = new AbortController();
    const leaving = call(upstreamRequest(query, { signal: impatient.signal }));
    const staying = call(upstreamRequest(query, { signal: new AbortController().signal }));
    impatient.abort(new Error('deadline'));
    await expect(leaving).rejects.toThrow('deadline');
    expect(below.calls[0]!.signal!.aborted).toBe(false);
    below.answerAll();
    expect(await staying).toMatchObject({ data: { post: { title: 'Hello' } } });
  });

  it('ends the fetch when every caller has left, and the next caller starts a new one', async () => {
    const below = heldCall();
    const call = dedupeQueries()(below.call);
    const callers = [new AbortController(), new AbortController()];
    const waiting = callers.map((caller) => call(upstreamRequest(query, { signal: caller.signal })));
    for (const caller of callers) caller.abort(new Error('deadline'));
    await Promise.allSettled(waiting);
    expect(below.calls[0]!.signal!.aborted).toBe(true);
    const next = call(upstreamRequest(query));
    below.answerAll();
    await next;
    expect(below.calls).toHaveLength(2);
  });

  it('passes the same failure to every caller', async () => {
    const below = stubCall(() => Promise.reject(new Error('fetch failed')));
    const call = dedupeQueries()(below.call);
    const results = await Promise.allSettled([call(upstreamRequest(query)), call(upstreamRequest(query))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(below.calls).toHaveLength(1);
  });

  it('shares no more than its bound of distinct fetches: past it, a fetch goes on its own', async () => {
    const below = heldCall();
    const call = dedupeQueries({ maxInFlight: 1 })(below.call);
    const answers = Promise.all([
      call(upstreamRequest(query)),
      call(upstreamRequest(query)),
      call(upstreamRequest(query, { variables: { id: 2 } })),
      call(upstreamRequest(query, { variables: { id: 2 } })),
    ]);
    below.answerAll();
    await answers;
    expect(below.calls.map((request) => request.variables)).toEqual([{}, { id: 2 }, { id: 2 }]);
  });
});
