import { describe, expect, it } from 'vitest';
import { incomingOperation, networkError, stubCall, upstreamContext, upstreamRequest } from '../../../test/upstream-requests.ts';
import { operationDeadline } from './deadline.ts';
import { retryQueries } from './retry.ts';
import { compose } from './types.ts';

function withDeadline() {
  const deadline = new AbortController();
  const request = upstreamRequest('{ a }', { incoming: incomingOperation(upstreamContext({ deadline: deadline.signal })).request });
  return { deadline, request };
}

describe('operationDeadline', () => {
  it("hands the operation's signal to the units below", async () => {
    const { deadline, request } = withDeadline();
    const below = stubCall();
    await operationDeadline(below.call)(request);
    expect(below.calls[0]!.signal?.aborted).toBe(false);
    deadline.abort();
    expect(below.calls[0]!.signal?.aborted).toBe(true);
  });

  it('calls nothing once the time is up', async () => {
    const { deadline, request } = withDeadline();
    deadline.abort();
    const below = stubCall();
    await expect(operationDeadline(below.call)(request)).rejects.toMatchObject({
      message: "The posts service did not answer within the operation's time limit.",
      extensions: { code: 'OPERATION_TIMEOUT' },
    });
    expect(below.calls).toHaveLength(0);
  });

  it('ends a call in flight with OPERATION_TIMEOUT when it fires', async () => {
    const { deadline, request } = withDeadline();
    const below = stubCall((call) => new Promise((_, reject) => call.signal!.addEventListener('abort', () => reject(call.signal!.reason), { once: true })));
    const call = operationDeadline(below.call)(request);
    deadline.abort();
    await expect(call).rejects.toMatchObject({ extensions: { code: 'OPERATION_TIMEOUT' } });
  });

  it('ends the retries with it: no attempt after the deadline, however long the backoff', async () => {
    const { deadline, request } = withDeadline();
    const below = stubCall(() => {
      throw networkError();
    });
    const call = compose([operationDeadline, retryQueries({ retries: 10, backoffMs: 60_000 })], below.call)(request);
    await new Promise((resolve) => setImmediate(resolve)); // the first attempt has failed; the backoff runs
    deadline.abort();
    await expect(call).rejects.toMatchObject({ extensions: { code: 'OPERATION_TIMEOUT' } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(below.calls).toHaveLength(1);
  });

  it("leaves the gateway's own calls alone", async () => {
    const below = stubCall();
    await operationDeadline(below.call)(upstreamRequest('{ a }'));
    expect(below.calls[0]!.signal).toBeUndefined();
  });
});
