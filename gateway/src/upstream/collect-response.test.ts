import { ApolloServer } from '@apollo/server';
import { Headers } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { incomingOperation, stubCall, upstreamContext, upstreamRequest } from '../../../test/upstream-requests.ts';
import { collectResponse, subgraphResponsePlugin } from './collect-response.ts';
import type { UpstreamContext, UpstreamResponse } from './types.ts';

async function collect(context: UpstreamContext, response: UpstreamResponse, subgraph = 'posts') {
  const incoming = incomingOperation(context);
  await collectResponse(stubCall(() => response).call)(upstreamRequest('{ a }', { subgraph, incoming: incoming.request }));
  return incoming.hints;
}

const answered = (headers: Record<string, string>, extensions?: Record<string, unknown>): UpstreamResponse => ({
  data: {},
  extensions,
  http: { status: 200, headers: new Headers(headers) },
});

describe('collectResponse', () => {
  it("keeps the subgraph's Set-Cookie for the client", async () => {
    const context = upstreamContext();
    await collect(context, answered({ 'set-cookie': 'refresh_token=r; HttpOnly' }));
    expect(context.setCookie).toBe('refresh_token=r; HttpOnly');
  });

  it('adds up the SQL statements of each subgraph when the client asked for them', async () => {
    const context = upstreamContext({ debugSql: true, sqlStatements: { posts: 0, users: 0 } });
    await collect(context, answered({}, { sqlStatements: 2 }));
    await collect(context, answered({}, { sqlStatements: 3 }));
    await collect(context, answered({}, { sqlStatements: 1 }), 'users');
    expect(context.sqlStatements).toEqual({ posts: 5, users: 1 });
  });

  it('ignores the counts otherwise', async () => {
    const context = upstreamContext({ sqlStatements: { posts: 0 } });
    await collect(context, answered({}, { sqlStatements: 2 }));
    expect(context.sqlStatements).toEqual({ posts: 0 });
  });

  it("restricts the operation's cache policy by the answer's Cache-Control: none means not cacheable", async () => {
    expect(await collect(upstreamContext(), answered({ 'cache-control': 'max-age=60, private' }))).toEqual([{ maxAge: 60, scope: 'PRIVATE' }]);
    expect(await collect(upstreamContext(), answered({ 'cache-control': 'max-age=30, public' }))).toEqual([{ maxAge: 30, scope: 'PUBLIC' }]);
    expect(await collect(upstreamContext(), answered({}))).toEqual([{ maxAge: 0 }]);
    expect(await collect(upstreamContext(), answered({ 'cache-control': 'no-store' }))).toEqual([{ maxAge: 0 }]);
  });
});

describe('subgraphResponsePlugin', () => {
  const server = new ApolloServer<UpstreamContext>({
    typeDefs: 'type Query { a: Int }',
    resolvers: { Query: { a: () => 1 } },
    plugins: [subgraphResponsePlugin],
  });
  afterAll(() => server.stop());

  it('sends the kept cookie, and the SQL counts in extensions when they were asked for', async () => {
    const context = upstreamContext({ setCookie: 'refresh_token=r', debugSql: true, sqlStatements: { posts: 2, users: 0 } });
    const response = await server.executeOperation({ query: '{ a }' }, { contextValue: context });
    expect(response.http.headers.get('set-cookie')).toBe('refresh_token=r');
    expect(response.body.kind === 'single' && response.body.singleResult.extensions).toEqual({ sqlStatements: { posts: 2, users: 0 } });
  });

  it('adds nothing otherwise', async () => {
    const response = await server.executeOperation({ query: '{ a }' }, { contextValue: upstreamContext({ sqlStatements: { posts: 2 } }) });
    expect(response.http.headers.get('set-cookie')).toBeUndefined();
    expect(response.body.kind === 'single' && response.body.singleResult.extensions).toBeUndefined();
  });
});
