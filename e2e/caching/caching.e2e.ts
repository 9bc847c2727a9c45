// The gateway's caches through HTTP, with the in-memory store and (REDIS_URL set) with Redis:
// Cache-Control and x-cache, PRIVATE data kept per user, invalidation after every mutation,
// entity-cache partial hits, GET with automatic persisted queries, and a Redis outage.
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CACHE, type CacheSettings } from '../../gateway/src/cache/index.ts';
import type { RunningService } from '#lib/service/http.ts';
import { ADA, BOB, CAROL, bearer } from '../../test/auth.ts';
import { gatewayInFrontOf, subgraphUrlsOf, useTestStack } from '../../test/gateway.ts';

const REDIS_URL = process.env.REDIS_URL;
const stack = useTestStack();
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Answer {
  status: number;
  headers: Headers;
  cache: string | null;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function ask(url: string, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, cache: response.headers.get('x-cache'), body: (await response.json()) as Answer['body'] };
}

/** A gateway of its own in front of the stack's subgraphs, with this cache. */
async function gatewayWith(cache: Partial<CacheSettings>, options: { redisUrl?: string; subgraphUrls?: Record<string, string> } = {}) {
  const gateway = await gatewayInFrontOf(stack, {
    cache: { ...DEFAULT_CACHE, redisKeyPrefix: `test:${randomUUID()}:`, ...cache },
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.subgraphUrls ? { subgraphUrls: { ...subgraphUrlsOf(stack), ...options.subgraphUrls } } : {}),
  });
  cleanups.push(() => gateway.close());
  return gateway;
}

/** An HTTP proxy in front of a subgraph that keeps the body of every request it passes on. */
async function recordingProxy(target: string) {
  const bodies: { query: string; variables?: { representations?: { __typename: string; id: string }[] } }[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a failure here reaches vitest as an unhandled rejection, which fails the run
    request.on('end', async () => {
      const body = Buffer.concat(chunks);
      bodies.push(JSON.parse(body.toString('utf8')));
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)),
      ) as Record<string, string>;
      const upstream = await fetch(target, { method: 'POST', headers, body });
      response.writeHead(
        upstream.status,
        Object.fromEntries([...upstream.headers].filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))),
      );
      response.end(Buffer.from(await upstream.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    bodies,
    entityIds: () => bodies.flatMap((body) => body.variables?.representations?.map((r) => r.id) ?? []),
  };
}

const stores = [
  { name: 'memory', skip: false, redisUrl: undefined, cache: { store: 'memory' as const } },
  { name: 'Redis', skip: !REDIS_URL, redisUrl: REDIS_URL, cache: { store: 'redis' as const } },
];

describe.each(stores)('response cache in $name', ({ skip, redisUrl, cache }) => {
  let gateway: RunningService;
  beforeAll(async () => {
    if (!skip) gateway = await gatewayWith(cache, { redisUrl });
  });

  it.skipIf(skip)('answers a repeated public query from the cache, with Cache-Control from the hints and x-cache', async () => {
    const query = `{ post(id: "3") { id title author { name } } }`;
    const first = await ask(gateway.url, query);
    expect(first.cache).toBe('MISS');
    expect(first.headers.get('cache-control')).toBe('max-age=300, public');
    expect(first.headers.get('vary')).toBe('Origin, Authorization');
    const second = await ask(gateway.url, query);
    expect(second.cache).toBe('HIT');
    expect(second.headers.get('cache-control')).toBe('max-age=300, public');
    expect(second.headers.get('age')).toMatch(/^\d+$/);
    expect(second.body.data).toEqual(first.body.data);
    // Another operation, or other variables, is another entry.
    expect((await ask(gateway.url, `{ post(id: "4") { id title author { name } } }`)).cache).toBe('MISS');
  });

  it.skipIf(skip)('keeps the shortest hint of a query: stock for 30 s, lists for 60 s', async () => {
    expect((await ask(gateway.url, '{ products(first: 2) { edges { node { name stock } } } }')).headers.get('cache-control')).toBe('max-age=30, public');
    expect((await ask(gateway.url, '{ posts(first: 2) { edges { node { title } } } }')).headers.get('cache-control')).toBe('max-age=60, public');
  });

  it.skipIf(skip || !redisUrl)('stores entries in Redis with the TTL of the hints', async () => {
    const prefix = `test:${randomUUID()}:`;
    const own = await gatewayWith({ ...cache, redisKeyPrefix: prefix }, { redisUrl });
    await ask(own.url, '{ products(first: 3) { edges { node { name stock } } } }');
    const redis = new Redis(redisUrl!);
    try {
      const keys = await redis.keys(`${prefix}r:*`);
      expect(keys).toHaveLength(1);
      expect(await redis.ttl(keys[0]!)).toBeGreaterThan(25);
      expect(await redis.ttl(keys[0]!)).toBeLessThanOrEqual(30);
    } finally {
      redis.disconnect();
    }
  });

  it.skipIf(skip)('never caches mutations, nor `me`', async () => {
    const carol = await bearer(CAROL);
    for (let i = 0; i < 2; i++) {
      const me = await ask(gateway.url, '{ me { name } }', carol);
      expect(me.headers.get('cache-control')).toBe('no-store');
      expect(me.cache).toBe('MISS');
    }
    const mutation = await ask(gateway.url, 'mutation { logOut }', carol);
    expect(mutation.headers.get('cache-control')).toBe('no-store');
    expect(mutation.cache).toBeNull();
  });

  it.skipIf(skip)("serves PRIVATE data to its user only, and never another user's", async () => {
    const query = '{ user(id: "2") { name email orders(first: 2) { totalCount } } }';
    const [bob, carol, ada] = [await bearer(BOB), await bearer(CAROL), await bearer(ADA)];
    const first = await ask(gateway.url, query, bob);
    expect(first.body.data!.user.email).toBe('bob@example.com');
    expect(first.headers.get('cache-control')).toMatch(/^max-age=\d+, private$/);
    expect((await ask(gateway.url, query, bob)).cache).toBe('HIT');

    const asCarol = await ask(gateway.url, query, carol);
    expect(asCarol.cache).toBe('MISS');
    expect(asCarol.body.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
    expect(JSON.stringify(asCarol.body)).not.toContain('bob@example.com');
    const anonymous = await ask(gateway.url, query);
    expect(anonymous.cache).toBe('MISS');
    expect(JSON.stringify(anonymous.body)).not.toContain('bob@example.com');
    // An admin may read it, from the subgraphs, not from Bob's entry.
    const asAda = await ask(gateway.url, query, ada);
    expect(asAda.cache).toBe('MISS');
    expect(asAda.body.data!.user.email).toBe('bob@example.com');
  });

  it.skipIf(skip)('shares PUBLIC responses among anonymous requests, and among signed-in ones apart', async () => {
    const query = '{ user(id: "5") { name role } }';
    expect((await ask(gateway.url, query)).cache).toBe('MISS');
    expect((await ask(gateway.url, query)).cache).toBe('HIT');
    expect((await ask(gateway.url, query, await bearer(BOB))).cache).toBe('MISS');
    expect((await ask(gateway.url, query, await bearer(CAROL))).cache).toBe('HIT');
  });
});

describe.each(stores)('invalidation after each mutation, in $name', ({ skip, redisUrl, cache }) => {
  let gateway: RunningService;
  let bob: Record<string, string>;
  let bobsPost: string;
  beforeAll(async () => {
    if (skip) return;
    gateway = await gatewayWith(cache, { redisUrl });
    bob = await bearer(BOB);
    const created = await ask(gateway.url, 'mutation { createPost(input: { title: "Cached", body: "Text" }) { id } }', bob);
    bobsPost = created.body.data!.createPost.id;
  });

  /** Asks twice (the second from the cache), mutates, and returns the next answer. */
  async function cachedThen(query: string, mutate: () => Promise<Answer>, headers: Record<string, string> = {}) {
    await ask(gateway.url, query, headers);
    const cached = await ask(gateway.url, query, headers);
    expect(cached.cache).toBe('HIT');
    const mutation = await mutate();
    expect(mutation.body.errors).toBeUndefined();
    return { before: cached.body.data!, after: await ask(gateway.url, query, headers) };
  }

  it.skipIf(skip)('updatePost: the post shows its new title at once, with or without its id in the query', async () => {
    for (const selection of ['id title', 'title']) {
      const title = `Edited ${randomUUID()}`;
      const { after } = await cachedThen(`{ post(id: "${bobsPost}") { ${selection} } }`, () =>
        ask(gateway.url, 'mutation($id: ID!, $title: String) { updatePost(id: $id, input: { title: $title }) { id } }', bob, { id: bobsPost, title }),
      );
      expect(after.cache).toBe('MISS');
      expect(after.body.data!.post.title).toBe(title);
    }
  });

  it.skipIf(skip)('updatePost leaves the cached responses of other posts alone', async () => {
    const other = '{ post(id: "7") { id title } }';
    await ask(gateway.url, other);
    await ask(gateway.url, 'mutation($id: ID!) { updatePost(id: $id, input: { title: "Once more" }) { id } }', bob, { id: bobsPost });
    expect((await ask(gateway.url, other)).cache).toBe('HIT');
  });

  it.skipIf(skip)('createPost: the feed and the author’s posts show the new post', async () => {
    const title = `New ${randomUUID()}`;
    const create = () => ask(gateway.url, 'mutation($title: String!) { createPost(input: { title: $title, body: "B" }) { id } }', bob, { title });
    const feed = await cachedThen('{ posts(first: 1) { edges { node { title } } } }', create);
    expect(feed.after.body.data!.posts.edges[0].node.title).toBe(title);
    const next = `New ${randomUUID()}`;
    const authored = await cachedThen('{ user(id: "2") { posts(first: 1) { totalCount edges { node { title } } } } }', () =>
      ask(gateway.url, 'mutation($title: String!) { createPost(input: { title: $title, body: "B" }) { id } }', bob, { title: next }),
    );
    expect(authored.after.body.data!.user.posts.edges[0].node.title).toBe(next);
    expect(authored.after.body.data!.user.posts.totalCount).toBe(authored.before.user.posts.totalCount + 1);
  });

  it.skipIf(skip)('addComment and deleteComment: the post’s comments follow', async () => {
    const query = `{ post(id: "${bobsPost}") { id comments(first: 1) { totalCount edges { node { id text } } } } }`;
    const text = `Comment ${randomUUID()}`;
    const added = await cachedThen(query, () =>
      ask(gateway.url, 'mutation($postId: ID!, $text: String!) { addComment(input: { postId: $postId, text: $text }) { id } }', bob, {
        postId: bobsPost,
        text,
      }),
    );
    const comments = added.after.body.data!.post.comments;
    expect(comments.totalCount).toBe(added.before.post.comments.totalCount + 1);
    expect(comments.edges[0].node.text).toBe(text);
    const deleted = await cachedThen(query, () => ask(gateway.url, 'mutation($id: ID!) { deleteComment(id: $id) }', bob, { id: comments.edges[0].node.id }));
    expect(deleted.after.body.data!.post.comments.totalCount).toBe(comments.totalCount - 1);
  });

  it.skipIf(skip)('placeOrder and cancelOrder: stock, the order and the buyer’s orders follow', async () => {
    const stock = '{ product(id: "3") { id stock } }';
    const placed = await cachedThen(stock, () =>
      ask(gateway.url, 'mutation($key: String!) { placeOrder(input: { items: [{ productId: "3", quantity: 1 }] }, idempotencyKey: $key) { id } }', bob, {
        key: randomUUID(),
      }),
    );
    expect(placed.after.body.data!.product.stock).toBe(placed.before.product.stock - 1);

    const orders = '{ user(id: "2") { id orders(first: 1) { totalCount edges { node { id status } } } } }';
    const again = await cachedThen(
      orders,
      () =>
        ask(gateway.url, 'mutation($key: String!) { placeOrder(input: { items: [{ productId: "3", quantity: 1 }] }, idempotencyKey: $key) { id } }', bob, {
          key: randomUUID(),
        }),
      bob,
    );
    const newest = again.after.body.data!.user.orders;
    expect(newest.totalCount).toBe(again.before.user.orders.totalCount + 1);

    const order = `{ order(id: "${newest.edges[0].node.id}") { id status items { product { id stock } } } }`;
    const cancelled = await cachedThen(
      order,
      () => ask(gateway.url, 'mutation($id: ID!) { cancelOrder(id: $id) { id } }', bob, { id: newest.edges[0].node.id }),
      bob,
    );
    expect(cancelled.after.body.data!.order.status).toBe('CANCELLED');
    expect(cancelled.after.body.data!.order.items[0].product.stock).toBe(cancelled.before.order.items[0].product.stock + 1);
  });

  it.skipIf(skip)('deletePost: the post is gone at once', async () => {
    const { after } = await cachedThen(`{ post(id: "${bobsPost}") { id title } }`, () =>
      ask(gateway.url, 'mutation($id: ID!) { deletePost(id: $id) }', bob, { id: bobsPost }),
    );
    expect(after.body.data!.post).toBeNull();
  });

  it.skipIf(skip)('signUp: the list of users shows the new account', async () => {
    const name = `Newcomer ${randomUUID().slice(0, 8)}`;
    const { after } = await cachedThen('{ users(first: 1) { edges { node { name } } } }', () =>
      ask(
        gateway.url,
        'mutation($input: SignUpInput!) { signUp(input: $input, delivery: BODY) { accessToken } }',
        {},
        {
          input: { name, email: `${randomUUID()}@example.com`, password: 'a-long-password' },
        },
      ),
    );
    expect(after.body.data!.users.edges[0].node.name).toBe(name);
  });
});

describe.each(stores)('entity cache in $name', ({ skip, redisUrl, cache }) => {
  it.skipIf(skip)('fetches only the entities it does not hold: a partial hit', async () => {
    const users = await recordingProxy(stack.subgraphs.users.url);
    const gateway = await gatewayWith({ ...cache, responses: false }, { redisUrl, subgraphUrls: { users: users.url } });
    const plain = await gatewayWith({ ...cache, responses: false, entities: false });
    const commenters = (post: string, first: number) => `{ post(id: "${post}") { comments(first: ${first}) { edges { node { author { id name } } } } } }`;
    const authorIds = (answer: Answer) => new Set<string>(answer.body.data!.post.comments.edges.map((edge: any) => edge.node.author.id));
    // A seeded post whose first 6 comments have authors that its first 2 do not.
    let post = '';
    for (let id = 1; id <= 50 && !post; id++) {
      const [few, more] = [authorIds(await ask(plain.url, commenters(String(id), 2))), authorIds(await ask(plain.url, commenters(String(id), 6)))];
      if ([...more].some((author) => !few.has(author))) post = String(id);
    }

    const small = await ask(gateway.url, commenters(post, 2));
    expect(new Set(users.entityIds())).toEqual(authorIds(small));
    users.bodies.length = 0;

    const large = await ask(gateway.url, commenters(post, 6));
    expect(large.body).toEqual((await ask(plain.url, commenters(post, 6))).body);
    // Only the authors the first query did not meet went to the users subgraph.
    const expected = [...authorIds(large)].filter((author) => !authorIds(small).has(author));
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(users.entityIds())).toEqual(new Set(expected));

    // Everything held: the users subgraph is not called at all.
    users.bodies.length = 0;
    expect((await ask(gateway.url, commenters(post, 6))).body).toEqual(large.body);
    expect(users.bodies).toEqual([]);
  });

  it.skipIf(skip)('keeps PRIVATE entities per user', async () => {
    const orders = await recordingProxy(stack.subgraphs.orders.url);
    const gateway = await gatewayWith({ ...cache, responses: false }, { redisUrl, subgraphUrls: { orders: orders.url } });
    const query = '{ user(id: "2") { name orders(first: 1) { totalCount } } }';
    const bob = await bearer(BOB);
    const first = await ask(gateway.url, query, bob);
    expect(first.body.data!.user.orders.totalCount).toBeGreaterThan(0);
    orders.bodies.length = 0;
    expect((await ask(gateway.url, query, bob)).body).toEqual(first.body);
    expect(orders.bodies).toEqual([]);

    const asCarol = await ask(gateway.url, query, await bearer(CAROL));
    expect(asCarol.body.data!.user.orders).toBeNull();
    expect(asCarol.body.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
    expect(orders.bodies).toHaveLength(1);
  });

  it.skipIf(skip)("drops an entity's entry when a mutation changes it", async () => {
    const gateway = await gatewayWith({ ...cache, responses: false }, { redisUrl });
    const bob = await bearer(BOB);
    // User.posts comes from the posts subgraph through `_entities`.
    const query = '{ user(id: "2") { id posts(first: 1) { edges { node { id title } } } } }';
    await ask(gateway.url, query);
    const title = `Entity ${randomUUID()}`;
    await ask(gateway.url, 'mutation($title: String!) { createPost(input: { title: $title, body: "B" }) { id } }', bob, { title });
    const after = await ask(gateway.url, query);
    const post = after.body.data!.user.posts.edges[0].node;
    expect(post.title).toBe(title);
    const edited = `Edited ${randomUUID()}`;
    await ask(gateway.url, 'mutation($id: ID!, $title: String) { updatePost(id: $id, input: { title: $title }) { id } }', bob, { id: post.id, title: edited });
    expect((await ask(gateway.url, query)).body.data!.user.posts.edges[0].node.title).toBe(edited);
  });
});

describe('GET and automatic persisted queries', () => {
  it('answers a GET with a persisted query hash from the cache, with a public Cache-Control a CDN can keep', async () => {
    const gateway = await gatewayWith({ store: 'memory' });
    const query = '{ product(id: "5") { name priceCents } }';
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } });
    const get = (params: Record<string, string>) =>
      fetch(`${gateway.url}?${new URLSearchParams(params).toString()}`, { headers: { 'apollo-require-preflight': 'true' } });

    const unknown = await get({ extensions });
    expect(((await unknown.json()) as Answer['body']).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await get({ query, extensions });
    expect(registered.status).toBe(200);
    expect(registered.headers.get('x-cache')).toBe('MISS');
    const byHash = await get({ extensions });
    expect(byHash.status).toBe(200);
    expect(byHash.headers.get('x-cache')).toBe('HIT');
    expect(byHash.headers.get('cache-control')).toBe('max-age=300, public');
    expect(((await byHash.json()) as Answer['body']).data).toEqual({ product: { name: expect.any(String), priceCents: expect.any(Number) } });
  });
});

describe('a Redis outage', () => {
  it('bypasses the cache: every request still succeeds', async () => {
    const gateway = await gatewayWith({ store: 'redis', redisTimeoutMs: 50 }, { redisUrl: 'redis://127.0.0.1:1' });
    for (let i = 0; i < 3; i++) {
      const answer = await ask(gateway.url, '{ posts(first: 3) { edges { node { title author { name } } } } }');
      expect(answer.status).toBe(200);
      expect(answer.cache).toBe('MISS');
      expect(answer.body.data!.posts.edges).toHaveLength(3);
    }
  });
});

describe('x-debug-sql', () => {
  it('measures the subgraphs: the caches stand aside', async () => {
    const gateway = await gatewayWith({ store: 'memory' });
    const query = '{ posts(first: 2) { edges { node { title author { name } } } } }';
    for (let i = 0; i < 2; i++) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-debug-sql': '1' },
        body: JSON.stringify({ query }),
      });
      expect(response.headers.get('x-cache')).toBe('MISS');
      const body = (await response.json()) as { extensions: { sqlStatements: Record<string, number> } };
      expect(body.extensions.sqlStatements.users).toBeGreaterThan(0);
    }
  });
});
