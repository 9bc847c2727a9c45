import { Headers } from 'undici';
import { describe, expect, it } from 'vitest';
import { incomingOperation, stubCall, upstreamContext, upstreamRequest } from '../../../test/upstream-requests.ts';
import { propagateHeaders } from './propagate-headers.ts';

const headersSent = async (unit: ReturnType<typeof propagateHeaders>, request: ReturnType<typeof upstreamRequest>) => {
  const below = stubCall();
  await unit(below.call)(request);
  return Object.fromEntries(below.calls[0]!.headers);
};

describe('propagateHeaders', () => {
  it("forwards the allow-listed values from the operation's context, beside what the gateway set", async () => {
    const context = upstreamContext({ authorization: 'Bearer t', cookie: 'refresh_token=r', requestId: 'req-9', debugSql: true });
    const request = upstreamRequest('{ a }', {
      incoming: incomingOperation(context).request,
      headers: new Headers({ 'content-type': 'application/json', 'apollo-federation-include-trace': 'ftv1' }),
    });
    expect(await headersSent(propagateHeaders(), request)).toEqual({
      'content-type': 'application/json',
      'apollo-federation-include-trace': 'ftv1',
      authorization: 'Bearer t',
      cookie: 'refresh_token=r',
      'x-request-id': 'req-9',
      'x-debug-sql': '1',
    });
  });

  it('sends nothing the context does not hold: no credentials, no SQL debug switch', async () => {
    const request = upstreamRequest('{ a }', { incoming: incomingOperation(upstreamContext({ requestId: 'req-2' })).request });
    expect(await headersSent(propagateHeaders(), request)).toEqual({ 'content-type': 'application/json', 'x-request-id': 'req-2' });
  });

  it("adds nothing to the gateway's own calls (no client operation)", async () => {
    expect(await headersSent(propagateHeaders(), upstreamRequest('{ a }'))).toEqual({ 'content-type': 'application/json' });
  });

  it('takes another allow-list whole', async () => {
    const request = upstreamRequest('{ a }', { incoming: incomingOperation(upstreamContext({ authorization: 'Bearer t' })).request });
    const onlyTheRequestId = propagateHeaders({ 'x-request-id': (context) => context.requestId });
    expect(await headersSent(onlyTheRequestId, request)).toEqual({ 'content-type': 'application/json', 'x-request-id': 'req-1' });
  });
});
