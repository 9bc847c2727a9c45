// Every limit of the gateway, through HTTP: what is refused, with which status and code, and
// what still passes. Gateways with small limits are started in front of one shared stack.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../test/delay-proxy.ts';
import type { GatewayOptions } from '../../gateway/src/gateway.ts';
import { DEFAULT_LIMITS, type LimitSettings } from '../../gateway/src/limits/settings.ts';
import type { RunningService } from '#lib/service/http.ts';
import { BOB, CAROL, bearer } from '../../test/auth.ts';
import { gatewayInFrontOf, subgraphUrlsOf, useTestStack } from '../../test/gateway.ts';
import { postGraphQL, postRaw, type GraphQLResponse } from '../../test/graphql.ts';
import { trustedDocumentSettingsFromEnv } from '../../gateway/src/trusted-documents/settings.ts';

const stack = useTestStack();
const extraGateways: RunningService[] = [];

afterAll(async () => {
  for (const gateway of extraGateways) await gateway.close();
});

/** Another gateway in front of the same subgraphs, with its own limits. */
async function gatewayWith(limits: Partial<LimitSettings>, options: Partial<GatewayOptions> = {}) {
  const gateway = await gatewayInFrontOf(stack, { limits: { ...DEFAULT_LIMITS, ...limits }, ...options });
  extraGateways.push(gateway);
  return gateway;
}

const code = (body: GraphQLResponse['body']) => body.errors?.[0]?.extensions?.code;

describe('document limits', () => {
  it('refuses a query deeper than 5 with 400 QUERY_TOO_DEEP, not counting edges and node', async () => {
    const sixDeep = `{ users(first: 1) { edges { node { posts(first: 1) { edges { node { comments(first: 1) { edges { node {
      post { comments(first: 1) { edges { node { author { name } } } } } } } } } } } } } } }`;
    const { status, body } = await postGraphQL(stack.gateway.url, sixDeep);
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 6, maxDepth: 5 });
    expect(body.errors![0]!.message).toBe('Query too deep: its depth is 6, the limit is 5.');
    const fourDeep =
      '{ users(first: 1) { edges { node { posts(first: 1) { edges { node { comments(first: 1) { edges { node { author { name } } } } } } } } } } }';
    expect((await postGraphQL(stack.gateway.url, fourDeep)).status).toBe(200);
  });

  it("refuses the notes' malicious query with 400 QUERY_TOO_COMPLEX, before any subgraph runs", async () => {
    const { status, body } = await postRaw(
      stack.gateway.url,
      JSON.stringify({
        query:
          '{ users(first: 100) { edges { node { posts(first: 100) { edges { node { comments(first: 100) { edges { node { author { name } } } } } } } } } } }',
      }),
      { 'x-debug-sql': '1' },
    );
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 1_010_101, maxCost: 25_000 });
    expect(body.extensions?.sqlStatements).toEqual({ users: 0, posts: 0, orders: 0 });
  });

  it("refuses the issue's query, whose negative `first` cancelled the cost, whole and before any subgraph runs", async () => {
    const query = `{ users(first: 100) { edges { node {
      posts(first: 100) { edges { node { comments(first: 100) { edges { node { author { name } } } } } } }
      orders(first: -2147483648) { edges { node { items { product { id } } } } } } } } }`;
    const { status, body } = await postRaw(stack.gateway.url, JSON.stringify({ query }), { 'x-debug-sql': '1' });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first', field: 'users.edges.node.orders' });
    expect(body.errors![0]!.message).toBe('"first" of users.edges.node.orders must be between 0 and 100 (got -2147483648).');
    expect(body.extensions?.sqlStatements).toEqual({ users: 0, posts: 0, orders: 0 });
  });

  it('refuses a page size out of range through a variable in a fragment, and through a default above the maximum', async () => {
    const viaVariable = await postGraphQL(
      stack.gateway.url,
      'query ($n: Int) { users(first: 1) { edges { node { ...Orders } } } } fragment Orders on User { orders(first: $n) { totalCount } }',
      { n: 101 },
    );
    expect(viaVariable.status).toBe(400);
    expect(viaVariable.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'users.edges.node.orders' });
    const viaDefault = await postGraphQL(stack.gateway.url, 'query ($n: Int = -1) { products(first: $n) { totalCount } }');
    expect(viaDefault.status).toBe(400);
    expect(code(viaDefault.body)).toBe('BAD_USER_INPUT');
  });

  it('charges a list of first: 0 as one object, and one of first: null the default page', async () => {
    const empty = await postGraphQL(stack.gateway.url, '{ users(first: 0) { edges { node { posts(first: 100) { edges { node { author { name } } } } } } } }');
    expect(empty.status).toBe(200);
    expect(empty.body.extensions?.cost).toEqual({ value: 1, limit: 25_000 });
    const byDefault = await postGraphQL(stack.gateway.url, 'query ($n: Int) { users(first: $n) { edges { node { posts(first: 1) { totalCount } } } } }', {
      n: null,
    });
    expect(byDefault.body.extensions?.cost).toEqual({ value: 1 + 20 * 1, limit: 25_000 });
  });

  it('refuses variables nested 40,000 levels deep with 400 BAD_USER_INPUT, at the gateway and at a subgraph, not a stack overflow', async () => {
    const deep = `${'['.repeat(40_000)}${']'.repeat(40_000)}`;
    // Declared or not, a variable is walked by someone: both are refused before anything runs.
    for (const [url, query] of [
      [stack.gateway.url, 'query ($id: ID!) { user(id: $id) { name } }'],
      [stack.gateway.url, '{ products(first: 1) { totalCount } }'],
      [stack.subgraphs.users.url, 'query ($id: ID!) { user(id: $id) { name } }'],
    ] as const) {
      const { status, body } = await postRaw(url, `{"query":${JSON.stringify(query)},"variables":{"id":${deep}}}`);
      expect(status).toBe(400);
      expect(body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', variable: 'id', maxDepth: 32 });
      expect(body.errors![0]!.message).toBe('Variable "$id" is nested deeper than 32 levels of lists and objects; send flatter input.');
    }
    const thirtyTwo = { input: { items: JSON.parse(`${'['.repeat(30)}{}${']'.repeat(30)}`) } };
    const { status, body } = await postGraphQL(
      stack.gateway.url,
      'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input, idempotencyKey: "deep") { id } }',
      thirtyTwo,
    );
    expect(status).toBe(400);
    expect(code(body)).toBe('BAD_USER_INPUT');
    expect(body.errors![0]!.message).not.toContain('nested deeper');
  });

  it('reports the cost of an accepted query in extensions', async () => {
    const { body } = await postGraphQL(stack.gateway.url, '{ users(first: 3) { edges { node { posts(first: 2) { edges { node { title } } } } } } }');
    expect(body.extensions?.cost).toEqual({ value: 1 + 3 * (1 + 2 * 0), limit: 25_000 });
  });

  it('refuses more than 15 aliases with TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: products(first: 1) { totalCount }`).join(' ');
    const { status, body } = await postGraphQL(stack.gateway.url, `{ ${aliases} }`);
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', aliases: 16, maxAliases: 15 });
  });

  it('refuses more than 50 directives with TOO_MANY_DIRECTIVES', async () => {
    const { status, body } = await postGraphQL(stack.gateway.url, `{ products(first: 1) { ${'totalCount @include(if: true) '.repeat(51)} } }`);
    expect(status).toBe(400);
    expect(code(body)).toBe('TOO_MANY_DIRECTIVES');
  });

  it('refuses a document of more than 2,000 tokens while parsing it', async () => {
    const { status, body } = await postGraphQL(stack.gateway.url, `{ products(first: 1) { ${'totalCount '.repeat(2_100)} } }`);
    expect(status).toBe(400);
    expect(code(body)).toBe('GRAPHQL_PARSE_FAILED');
    expect(body.errors![0]!.message).toContain('2000 tokens');
  });

  it('refuses a fragment bomb by its expanded size', async () => {
    const fragments = Array.from({ length: 20 }, (_, i) => `fragment F${i} on Product { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const { status, body } = await postGraphQL(stack.gateway.url, `{ product(id: "1") { ...F0 } } ${fragments} fragment F20 on Product { name }`);
    expect(status).toBe(400);
    expect(code(body)).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses fragment cycles and unknown fragments as invalid', async () => {
    for (const query of [
      '{ product(id: "1") { ...A } } fragment A on Product { name ...B } fragment B on Product { ...A }',
      '{ product(id: "1") { ...Missing } }',
    ]) {
      const { status, body } = await postGraphQL(stack.gateway.url, query);
      expect(status).toBe(400);
      expect(code(body)).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('refuses batched requests', async () => {
    const { status } = await postRaw(stack.gateway.url, JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]));
    expect(status).toBe(400);
  });

  it('prevents CSRF: a simple cross-site request is refused', async () => {
    const get = await fetch(`${stack.gateway.url}?query=${encodeURIComponent('{ products(first: 1) { totalCount } }')}`);
    expect(get.status).toBe(400);
    const form = await fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ me { id } }"}' });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
  });
});

describe('operation timeout', () => {
  let slowPosts: DelayProxy;
  afterAll(() => slowPosts?.close());

  it('answers in time with what is ready and OPERATION_TIMEOUT for the late subgraph', async () => {
    const posts = new URL(stack.subgraphs.posts.url);
    slowPosts = await startDelayProxy({ host: posts.hostname, port: Number(posts.port) }, 2_000);
    const gateway = await gatewayWith(
      { operationTimeoutMs: 300 },
      { subgraphUrls: { ...subgraphUrlsOf(stack), posts: `http://127.0.0.1:${slowPosts.port}/graphql` } },
    );
    const started = Date.now();
    const { status, body } = await postGraphQL(gateway.url, '{ products(first: 1) { totalCount } post(id: "1") { title } }');
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(status).toBe(200);
    expect(body.data).toEqual({ products: { totalCount: expect.any(Number) }, post: null });
    expect(body.errors?.map((error) => error.extensions?.code)).toContain('OPERATION_TIMEOUT');
  });
});

describe('production hardening', () => {
  let production: RunningService;
  const previous = process.env.NODE_ENV;

  beforeAll(async () => {
    process.env.NODE_ENV = 'production';
    try {
      production = await gatewayWith(
        {},
        {
          subgraphUrls: { ...subgraphUrlsOf(stack), orders: 'http://127.0.0.1:1/graphql' },
          // These checks send documents of their own: production's enforce would refuse them (e2e/trusted-documents).
          trustedDocuments: { ...trustedDocumentSettingsFromEnv(), mode: 'log' },
        },
      );
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('serves no landing page', async () => {
    const page = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/sandbox|embeddable/i);
    const development = await fetch(stack.gateway.url, { headers: { accept: 'text/html' } });
    expect(await development.text()).toMatch(/sandbox/i);
  });

  it('turns introspection off', async () => {
    const { status, body } = await postGraphQL(production.url, '{ __schema { types { name } } }');
    expect(status).toBe(400);
    expect(code(body)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('gives no field suggestions', async () => {
    const { body } = await postGraphQL(production.url, '{ produts(first: 1) { totalCount } }');
    expect(body.errors![0]!.message).not.toContain('Did you mean');
    const development = await postGraphQL(stack.gateway.url, '{ produts(first: 1) { totalCount } }');
    expect(development.body.errors![0]!.message).toContain('Did you mean');
  });

  it('names an unreachable subgraph without its address, and serves the rest', async () => {
    const response = await postRaw(production.url, JSON.stringify({ query: '{ product(id: "1") { name } users(first: 1) { totalCount } }' }), {
      'x-request-id': 'req-123',
    });
    expect(response.body.data).toEqual({ product: null, users: { totalCount: expect.any(Number) } });
    expect(response.body.errors![0]).toMatchObject({
      message: 'The orders service is unavailable; its fields are null.',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'orders' },
    });
    expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stacktrace/);
  });
});

describe('rate limits charged by cost', () => {
  const query = '{ users(first: 3) { edges { node { posts(first: 1) { totalCount } } } } }'; // costs 1 + 3 × 1

  it('refuses a client over its budget with 429, Retry-After and RateLimit headers, others unaffected', async () => {
    const gateway = await gatewayWith({ rateLimit: { capacity: 10, refillPerSecond: 1 } });
    const send = async (headers: Record<string, string> = {}) =>
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('10');
    expect(first.headers.get('ratelimit-remaining')).toBe('6');
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit-remaining')).toBe('2');
    const body = (await refused.json()) as GraphQLResponse['body'];
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', cost: 4 });
    // A signed-in user has a budget of their own, not the IP's.
    expect((await send(await bearer(BOB))).status).toBe(200);
  });

  it('charges expensive mutations their flat price: password guessing runs dry fast', async () => {
    const gateway = await gatewayWith({ rateLimit: { capacity: 5_000, refillPerSecond: 1 } });
    const logIn = () => postGraphQL(gateway.url, 'mutation { logIn(input: { email: "bob@example.com", password: "guess" }) { accessToken } }');
    expect(code((await logIn()).body)).toBe('UNAUTHENTICATED');
    expect(code((await logIn()).body)).toBe('UNAUTHENTICATED');
    const third = await logIn();
    expect(third.status).toBe(429);
    expect(code(third.body)).toBe('RATE_LIMITED');
  });

  it('charges the flat price of a mutation reached through a fragment, an inline fragment, @include or an alias', async () => {
    const guess = `input: { email: "guess-${randomUUID()}@example.com", password: "guess" }`;
    const throughFragments = [
      `mutation { ...F } fragment F on Mutation { logIn(${guess}) { accessToken } }`,
      `mutation { ... on Mutation { logIn(${guess}) { accessToken } } }`,
      `mutation ($yes: Boolean!) { logIn(${guess}) @include(if: $yes) { accessToken } }`,
    ];
    for (const mutation of throughFragments) {
      const gateway = await gatewayWith({ rateLimit: { capacity: 5_000, refillPerSecond: 1 } });
      const send = () => postGraphQL(gateway.url, mutation, { yes: true });
      expect(code((await send()).body)).toBe('UNAUTHENTICATED');
      expect(code((await send()).body)).toBe('UNAUTHENTICATED');
      expect((await send()).status).toBe(429);
    }
    const gateway = await gatewayWith({ rateLimit: { capacity: 5_000, refillPerSecond: 1 } });
    const twice = await postGraphQL(gateway.url, `mutation { a: logIn(${guess}) { accessToken } b: logIn(${guess}) { accessToken } }`);
    expect(twice.status).toBe(200);
    const again = await postGraphQL(gateway.url, `mutation { a: logIn(${guess}) { accessToken } b: logIn(${guess}) { accessToken } }`);
    expect(again.status).toBe(429);
    expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', cost: 4_000 });
  });

  it('limits sign-in attempts per account, whichever gateway or route they come by', async () => {
    const unlimited = await gatewayWith({ rateLimit: false });
    const email = `guessed-${randomUUID()}@example.com`;
    const mutation = `mutation { logIn(input: { email: "${email}", password: "guess" }) { accessToken } }`;
    for (const url of [stack.gateway.url, unlimited.url, stack.subgraphs.users.url]) {
      for (let attempt = 0; attempt < 3; attempt++) expect(code((await postGraphQL(url, mutation)).body)).toBe('UNAUTHENTICATED');
    }
    expect(code((await postGraphQL(stack.subgraphs.users.url, mutation)).body)).toBe('UNAUTHENTICATED');
    const refused = await postGraphQL(unlimited.url, mutation);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
  });

  it.skipIf(!process.env.REDIS_URL)('shares one budget across two gateways through Redis (REDIS_URL)', async () => {
    const shared = { redisUrl: process.env.REDIS_URL, rateLimitKeyPrefix: `test:${randomUUID()}:` };
    const limits = { rateLimit: { capacity: 10, refillPerSecond: 1 } };
    const [one, two] = [await gatewayWith(limits, shared), await gatewayWith(limits, shared)];
    const headers = await bearer(CAROL);
    expect((await postGraphQL(one.url, query, {}, headers)).status).toBe(200);
    expect((await postGraphQL(two.url, query, {}, headers)).status).toBe(200);
    expect((await postGraphQL(one.url, query, {}, headers)).status).toBe(429);
    expect((await postGraphQL(two.url, query, {}, headers)).status).toBe(429);
  });

  it.skipIf(!process.env.REDIS_URL)('keeps two deployments that share a Redis apart by their key prefixes (RATE_LIMIT_KEY_PREFIX)', async () => {
    const run = randomUUID();
    // The prefix comes from the limits (where RATE_LIMIT_KEY_PREFIX lands), not the tests' own option.
    const deployment = (name: string) =>
      gatewayWith(
        { rateLimit: { capacity: 10, refillPerSecond: 1 }, rateLimitKeyPrefix: `${name}:${run}:` },
        { redisUrl: process.env.REDIS_URL, rateLimitKeyPrefix: undefined },
      );
    const [shopA, shopB] = [await deployment('shop-a'), await deployment('shop-b')];
    const headers = await bearer(CAROL);
    expect((await postGraphQL(shopA.url, query, {}, headers)).status).toBe(200);
    expect((await postGraphQL(shopA.url, query, {}, headers)).status).toBe(200);
    expect((await postGraphQL(shopA.url, query, {}, headers)).status).toBe(429);
    expect((await postGraphQL(shopB.url, query, {}, headers)).status).toBe(200);
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      expect(await redis.keys(`shop-a:${run}:*`)).toEqual([`shop-a:${run}:user:${CAROL.id}`]);
    } finally {
      redis.disconnect();
    }
  });

  it('keeps limiting, in memory, when Redis cannot be reached', async () => {
    const gateway = await gatewayWith({ rateLimit: { capacity: 10, refillPerSecond: 1 } }, { redisUrl: 'redis://127.0.0.1:1' });
    expect((await postGraphQL(gateway.url, query)).status).toBe(200);
    expect((await postGraphQL(gateway.url, query)).status).toBe(200);
    expect((await postGraphQL(gateway.url, query)).status).toBe(429);
  });
});
