// The cache plugins in-process, on an Apollo Server with a tiny schema whose resolvers count their
// runs: what is served from the response cache, to whom, and until when.
import { ApolloServer, type GraphQLResponse } from '@apollo/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { Viewer } from '#lib/service/auth.ts';
import { createInvalidationPublisher } from '#lib/service/cache-invalidation.ts';
import { createLogger } from '#lib/service/logger.ts';
import type { CacheContext } from './gateway-cache.ts';
import { cachePlugins, DEFAULT_CACHE, type CacheSettings } from './index.ts';

const typeDefs = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query {
    post(id: ID!): Post @cacheControl(maxAge: 60)
    me: User @cacheControl(maxAge: 60, scope: PRIVATE)
    clock: Int
  }
  type Mutation { touchPost(id: ID!): Post @cacheControl(maxAge: 60) }
  type Post @cacheControl(maxAge: 60) { id: ID! title: String! }
  type User @cacheControl(maxAge: 60) { id: ID! name: String! }
`;

const ADA: Viewer = { id: 1, role: 'ADMIN', scopes: [] };
const BOB: Viewer = { id: 2, role: 'USER', scopes: [] };

let servers: ApolloServer<CacheContext>[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  servers = [];
});

function serverWith(settings: CacheSettings | false = { ...DEFAULT_CACHE, evenWithoutInvalidation: true }) {
  const ran: string[] = [];
  const names: Record<number, string> = { 1: 'Ada', 2: 'Bob' };
  const server = new ApolloServer<CacheContext>({
    typeDefs,
    resolvers: {
      Query: {
        post: (_, { id }: { id: string }) => (ran.push(`post ${id}`), { id, title: `Post ${id}` }),
        me: (_, __, { viewer }: CacheContext) => (ran.push(`me ${viewer?.id}`), viewer && { id: viewer.id, name: names[viewer.id] }),
        clock: () => (ran.push('clock'), 42),
      },
      Mutation: { touchPost: (_, { id }: { id: string }) => (ran.push(`touchPost ${id}`), { id, title: `Post ${id}` }) },
    },
    plugins: cachePlugins(settings, { logger: createLogger('test') }),
  });
  servers.push(server);
  const run = async (query: string, context: Partial<CacheContext> = {}) => {
    const response: GraphQLResponse = await server.executeOperation({ query }, { contextValue: { viewer: null, ...context } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { headers: response.http.headers, result: response.body.singleResult };
  };
  return { ran, run };
}

describe('response cache', () => {
  it('answers a repeated query from the cache: MISS, then HIT without running a resolver', async () => {
    const { ran, run } = serverWith();
    const first = await run('{ post(id: "1") { id title } }');
    expect(first.headers.get('x-cache')).toBe('MISS');
    const second = await run('{ post(id: "1") { id title } }');
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.result.data).toEqual({ post: { id: '1', title: 'Post 1' } });
    expect(second.headers.get('age')).toMatch(/^\d+$/);
    expect(ran).toEqual(['post 1']);
  });

  it('does not cache what has no max-age', async () => {
    const { ran, run } = serverWith();
    await run('{ clock }');
    expect((await run('{ clock }')).headers.get('x-cache')).toBe('MISS');
    expect(ran).toEqual(['clock', 'clock']);
  });

  it('keeps a PRIVATE answer for its user alone, and never for anonymous requests', async () => {
    const { ran, run } = serverWith();
    await run('{ me { name } }', { viewer: ADA });
    const again = await run('{ me { name } }', { viewer: ADA });
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(again.result.data).toEqual({ me: { name: 'Ada' } });
    const bob = await run('{ me { name } }', { viewer: BOB });
    expect(bob.headers.get('x-cache')).toBe('MISS');
    expect(bob.result.data).toEqual({ me: { name: 'Bob' } });
    await run('{ me { name } }');
    await run('{ me { name } }');
    expect(ran).toEqual(['me 1', 'me 2', 'me undefined', 'me undefined']);
  });

  it('keeps anonymous and signed-in answers apart, even PUBLIC ones', async () => {
    const { ran, run } = serverWith();
    await run('{ post(id: "1") { title } }');
    expect((await run('{ post(id: "1") { title } }', { viewer: ADA })).headers.get('x-cache')).toBe('MISS');
    expect((await run('{ post(id: "1") { title } }', { viewer: BOB })).headers.get('x-cache')).toBe('HIT');
    expect(ran).toEqual(['post 1', 'post 1']);
  });

  it('drops the answers that hold an entity a mutation changed, and those only', async () => {
    const { ran, run } = serverWith();
    await run('{ post(id: "1") { id title } }');
    await run('{ post(id: "2") { id title } }');
    const publisher = createInvalidationPublisher({ logger: createLogger('test') });
    await publisher.publish([{ type: 'Post', id: 1 }]);
    await publisher.close();
    expect((await run('{ post(id: "1") { id title } }')).headers.get('x-cache')).toBe('MISS');
    expect((await run('{ post(id: "2") { id title } }')).headers.get('x-cache')).toBe('HIT');
    expect(ran).toEqual(['post 1', 'post 2', 'post 1']);
  });

  it('never caches a mutation, and stands aside while the client counts SQL statements', async () => {
    const { ran, run } = serverWith();
    await run('mutation { touchPost(id: "1") { id } }');
    await run('mutation { touchPost(id: "1") { id } }');
    await run('{ post(id: "3") { id } }', { debugSql: true });
    await run('{ post(id: "3") { id } }', { debugSql: true });
    expect(ran).toEqual(['touchPost 1', 'touchPost 1', 'post 3', 'post 3']);
  });

  it('sends Vary: Origin, Authorization on queries, cache or not', async () => {
    expect((await serverWith().run('{ clock }')).headers.get('vary')).toBe('Origin, Authorization');
    const { ran, run } = serverWith(false);
    const uncached = await run('{ post(id: "1") { id } }');
    expect(uncached.headers.get('vary')).toBe('Origin, Authorization');
    expect(uncached.headers.get('x-cache')).toBeUndefined();
    await run('{ post(id: "1") { id } }');
    expect(ran).toEqual(['post 1', 'post 1']);
  });

  it('does not cache in memory when no mutation could reach it (no Redis, subgraphs elsewhere), unless told to', async () => {
    const { ran, run } = serverWith({ ...DEFAULT_CACHE });
    await run('{ post(id: "1") { id } }');
    await run('{ post(id: "1") { id } }');
    expect(ran).toEqual(['post 1', 'post 1']);
  });
});
