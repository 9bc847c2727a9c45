// Error masking in production, on a real Apollo Server with a resolver that fails unexpectedly.
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from './errors.ts';
import { maskInternalErrorsPlugin } from './http.ts';
import { createLogger } from './logger.ts';

const previous = process.env.NODE_ENV;
afterEach(() => {
  process.env.NODE_ENV = previous;
});

async function run() {
  const server = new ApolloServer({
    typeDefs: 'type Query { broken: String known: String fine: String }',
    resolvers: {
      Query: {
        broken: () => {
          throw new Error('connection to 10.0.0.7:5432 refused; password=hunter2');
        },
        known: () => {
          throw new GraphQLError('No such thing.', { extensions: { code: ErrorCode.NotFound } });
        },
        fine: () => 'ok',
      },
    },
    plugins: [maskInternalErrorsPlugin(createLogger('test'))],
  });
  const response = await server.executeOperation(
    { query: '{ broken known fine }', http: { method: 'POST', headers: new Map([['x-request-id', 'req-9']]) as never, search: '', body: {} } },
  );
  await server.stop();
  return response.body.kind === 'single' ? response.body.singleResult : undefined;
}

describe('maskInternalErrorsPlugin', () => {
  it('in production, hides an internal error behind its request id and leaves coded errors alone', async () => {
    process.env.NODE_ENV = 'production';
    const result = await run();
    expect(result?.data).toEqual({ broken: null, known: null, fine: 'ok' });
    expect(result?.errors).toEqual([
      { message: 'Internal server error', path: ['broken'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-9' } },
      expect.objectContaining({ message: 'No such thing.', extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
    ]);
  });

  it('outside production, shows the real message to the developer', async () => {
    process.env.NODE_ENV = 'development';
    const result = await run();
    expect(result?.errors?.[0]?.message).toContain('10.0.0.7');
  });
});
