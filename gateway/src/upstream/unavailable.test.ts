import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLogger } from '#lib/service/logger.ts';
import { networkError, stubCall, upstreamRequest } from '../../../test/upstream-requests.ts';
import { unavailable } from './unavailable.ts';

const throwing = (error: Error) =>
  unavailable(createLogger('test'))(
    stubCall(() => {
      throw error;
    }).call,
  );

describe('unavailable', () => {
  it('turns a call without an answer into SUBGRAPH_UNAVAILABLE naming the subgraph, and nothing of the cause', async () => {
    const error = await throwing(networkError())(upstreamRequest('{ a }', { subgraph: 'orders' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error).toMatchObject({
      message: 'The orders service is unavailable; its fields are null.',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'orders' },
    });
    expect(JSON.stringify(error)).not.toMatch(/ECONNRESET|socket/);
  });

  it('passes a GraphQL error on as it is', async () => {
    const answer = new GraphQLError('401: Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } });
    await expect(throwing(answer)(upstreamRequest('{ a }'))).rejects.toBe(answer);
  });

  it("leaves a call the deadline ended to the deadline's unit", async () => {
    const deadline = new AbortController();
    deadline.abort();
    const aborted = new DOMException('This operation was aborted', 'AbortError');
    await expect(throwing(aborted)(upstreamRequest('{ a }', { signal: deadline.signal }))).rejects.toBe(aborted);
  });
});
