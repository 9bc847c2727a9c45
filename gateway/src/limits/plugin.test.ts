// The limits plugin in-process, on an Apollo Server with the API schema and resolvers that only
// record that they ran: what is refused never reaches a resolver, and what runs is what is charged.
import { readFileSync } from 'node:fs';
import { ApolloServer, type GraphQLResponse } from '@apollo/server';
import { getIntrospectionQuery, GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { limitsPlugin, type LimitsContext } from './plugin.ts';
import { memoryRateLimiter } from './rate-limiter.ts';
import { DEFAULT_LIMITS, type RateLimitSettings } from './settings.ts';

const typeDefs = readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8');
let servers: ApolloServer<LimitsContext>[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  servers = [];
});

function serverWith(rateLimit: RateLimitSettings) {
  const ran: string[] = [];
  const emptyPage = () => ({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 });
  const server = new ApolloServer<LimitsContext>({
    typeDefs,
    resolvers: {
      Query: {
        users: () => (ran.push('users'), emptyPage()),
        products: () => (ran.push('products'), emptyPage()),
      },
      Mutation: {
        logIn: () => {
          ran.push('logIn');
          throw new GraphQLError('The email or password is not right.', { extensions: { code: 'UNAUTHENTICATED' } });
        },
      },
    },
    plugins: [limitsPlugin({ ...DEFAULT_LIMITS, rateLimit }, memoryRateLimiter(rateLimit))],
  });
  servers.push(server);
  const run = async (query: string, variables?: Record<string, unknown>, clientIp = '203.0.113.9') => {
    const response: GraphQLResponse = await server.executeOperation({ query, variables }, { contextValue: { viewer: null, clientIp } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status ?? 200, result: response.body.singleResult };
  };
  return { ran, run };
}

const roomy = { capacity: 100_000, refillPerSecond: 1 };

describe('limits plugin', () => {
  it("refuses the issue's query whole, before any resolver runs", async () => {
    const { ran, run } = serverWith(roomy);
    const { status, result } = await run(`{ users(first: 100) { edges { node {
      posts(first: 100) { edges { node { comments(first: 100) { edges { node { author { name } } } } } } }
      orders(first: -2147483648) { edges { node { items { product { id } } } } } } } } }`);
    expect(status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first', field: 'users.edges.node.orders' });
    expect(ran).toEqual([]);
  });

  it('refuses a page size out of range given through a variable and a fragment', async () => {
    const { ran, run } = serverWith(roomy);
    const { status, result } = await run('query ($n: Int) { ...Products } fragment Products on Query { products(first: $n) { totalCount } }', { n: 101 });
    expect(status).toBe(400);
    expect(result.errors![0]!.message).toBe('"first" of products must be between 0 and 100 (got 101).');
    expect(ran).toEqual([]);
  });

  it('charges logIn its flat price through a fragment: two guesses, then 429 without running the third', async () => {
    const { ran, run } = serverWith({ capacity: 5_000, refillPerSecond: 1 });
    const guess = 'mutation { ...Guess } fragment Guess on Mutation { logIn(input: { email: "bob@example.com", password: "guess" }) { accessToken } }';
    expect((await run(guess)).result.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect((await run(guess)).result.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const third = await run(guess);
    expect(third.status).toBe(429);
    expect(third.result.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', cost: 2_000 });
    expect(ran).toEqual(['logIn', 'logIn']);
  });

  it("lets the explorers' introspection query through (as deep as 14 levels), within the cost limit", async () => {
    const { run } = serverWith(roomy);
    const query = getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      schemaDescription: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
    });
    const { status, result } = await run(query);
    expect(result.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(result.extensions!.cost).toEqual({ value: expect.any(Number), limit: DEFAULT_LIMITS.maxCost });
  });

  it('still refuses introspection that nests its lists to make a huge answer (graphql-js validation)', async () => {
    const { status, result } = await serverWith(roomy).run('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }');
    expect(status).toBe(400);
    expect(result.errors![0]!.message).toBe('Maximum introspection depth exceeded');
  });

  it('gives an IPv6 /64 one budget', async () => {
    const { run } = serverWith({ capacity: 10, refillPerSecond: 1 });
    const query = '{ users(first: 3) { edges { node { posts(first: 1) { totalCount } } } } }'; // costs 4
    expect((await run(query, {}, '2001:db8:1:2::1')).status).toBe(200);
    expect((await run(query, {}, '2001:db8:1:2::2')).status).toBe(200);
    expect((await run(query, {}, '2001:db8:1:2:ffff::3')).status).toBe(429);
    expect((await run(query, {}, '2001:db8:1:3::1')).status).toBe(200);
  });
});
