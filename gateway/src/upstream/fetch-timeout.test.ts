import { describe, expect, it } from 'vitest';
import { stubCall, upstreamRequest } from '../../../test/upstream-requests.ts';
import { fetchTimeout } from './fetch-timeout.ts';

/** Below: waits for its signal, and fails with its reason. */
const waitingForSignal = () =>
  stubCall((call) => new Promise((_, reject) => call.signal!.addEventListener('abort', () => reject(call.signal!.reason), { once: true })));

describe('fetchTimeout', () => {
  it('ends an attempt that takes longer than timeoutMs', async () => {
    const below = waitingForSignal();
    await expect(fetchTimeout({ timeoutMs: 10 })(below.call)(upstreamRequest('{ a }'))).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it("ends it sooner when the request's own signal (the deadline) fires first", async () => {
    const deadline = new AbortController();
    const below = waitingForSignal();
    const call = fetchTimeout({ timeoutMs: 60_000 })(below.call)(upstreamRequest('{ a }', { signal: deadline.signal }));
    deadline.abort(new Error('time is up'));
    await expect(call).rejects.toThrow('time is up');
  });

  it('gives each attempt a fresh timeout', async () => {
    const below = stubCall();
    const unit = fetchTimeout({ timeoutMs: 60_000 })(below.call);
    await unit(upstreamRequest('{ a }'));
    await unit(upstreamRequest('{ a }'));
    expect(below.calls[0]!.signal).not.toBe(below.calls[1]!.signal);
  });
});
