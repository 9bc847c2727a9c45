// The transport against a real local HTTP server: what it sends, what it makes of each answer.
import { GraphQLError } from 'graphql';
import { Headers } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerWith, dropConnection, hang, startFakeSubgraph, type FakeSubgraph } from '../../../test/fake-subgraph.ts';
import { upstreamRequest } from '../../../test/upstream-requests.ts';
import { undiciTransport, type Transport } from './transport.ts';

let subgraph: FakeSubgraph;
let transport: Transport;
beforeAll(async () => {
  subgraph = await startFakeSubgraph();
  transport = undiciTransport();
});
afterEach(() => {
  subgraph.received.length = 0;
});
afterAll(async () => {
  await transport.close();
  await subgraph.close();
});

const send = (overrides: Parameters<typeof upstreamRequest>[1] = {}) =>
  transport.call(upstreamRequest('query Post__posts__0($id: ID!) { post(id: $id) { title } }', { url: subgraph.url, ...overrides }));

describe('undiciTransport', () => {
  it('POSTs the operation as JSON with the headers the units set, and returns the answer with its status and headers', async () => {
    subgraph.answer = answerWith({ data: { post: { title: 'T' } } }, { headers: { 'cache-control': 'max-age=60' } });
    const response = await send({
      variables: { id: '1' },
      operationName: 'Post__posts__0',
      headers: new Headers({ 'content-type': 'application/json', 'x-request-id': 'req-7' }),
    });
    expect(subgraph.received[0]!.body).toEqual({
      query: 'query Post__posts__0($id: ID!) { post(id: $id) { title } }',
      variables: { id: '1' },
      operationName: 'Post__posts__0',
    });
    expect(subgraph.received[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'req-7' });
    expect(response.data).toEqual({ post: { title: 'T' } });
    expect(response.http?.status).toBe(200);
    expect(response.http?.headers.get('cache-control')).toBe('max-age=60');
  });

  it("makes an HTTP error a GraphQL error as Apollo Gateway does, with the subgraph's response", async () => {
    subgraph.answer = answerWith({ errors: [{ message: 'no' }] }, { status: 500 });
    await expect(send()).rejects.toMatchObject({
      message: '500: Internal Server Error',
      extensions: { response: { status: 500, body: { errors: [{ message: 'no' }] } } },
    });
    subgraph.answer = answerWith({ errors: [{ message: 'who?' }] }, { status: 401 });
    await expect(send()).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a body that is not JSON', async () => {
    subgraph.answer = (_, response) => response.end('<html>proxy error</html>');
    await expect(send()).rejects.toThrow('Expected JSON response body, but received: <html>proxy error</html>');
  });

  it('throws the network error when no answer comes', async () => {
    subgraph.answer = dropConnection;
    const error = await send().catch((caught: unknown) => caught);
    // undici's own (here "other side closed"), never a GraphQL error: the units above retry it and count it as an outage.
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(GraphQLError);
  });

  it('stops when its signal fires: the subgraph sees the caller leave', async () => {
    subgraph.answer = hang;
    const controller = new AbortController();
    const call = send({ signal: controller.signal });
    while (!subgraph.received.length) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(await subgraph.received[0]!.abandoned).toBe(true);
  });
});
