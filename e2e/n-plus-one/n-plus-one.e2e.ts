// The N+1 problem, measured: SQL statements per subgraph reported through the gateway
// (`x-debug-sql: 1`) stay the same whatever the page sizes, and the naive build shows the
// per-parent statements that DataLoader removes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, startStack, type Stack } from '../../scripts/stack.ts';
import { ADA, bearer } from '../../test/auth.ts';
import { postGraphQL, postRaw, testDatabaseOptions } from '../../test/graphql.ts';

let batched: Stack;
let naive: Stack;

beforeAll(async () => {
  batched = await startStack({ ports: freePorts(), database: testDatabaseOptions(), seed: false, batchLoads: true });
  naive = await startStack({ ports: freePorts(), database: testDatabaseOptions(), seed: false, batchLoads: false });
});
afterAll(async () => {
  await batched?.stop();
  await naive?.stop();
});

const FOUR_LEVELS = `query ($users: Int, $posts: Int, $comments: Int) {
  users(first: $users) { edges { node { id posts(first: $posts) { edges { node { id
    comments(first: $comments) { edges { node { author { name } } } } } } } } } }
}`;

const WITH_TOTALS = `query ($users: Int, $posts: Int) {
  users(first: $users) { totalCount edges { node { posts(first: $posts) { totalCount edges { node {
    comments(first: 2) { totalCount } } } } } } }
}`;

const ORDERS = `query ($users: Int, $orders: Int) {
  users(first: $users) { edges { node { orders(first: $orders) { totalCount edges { node {
    buyer { name } items { quantity product { name priceCents } } } } } } } }
}`;

interface Measured {
  data: Record<string, any>;
  sqlStatements: Record<string, number>;
}

async function measure(stack: Stack, query: string, variables: Record<string, unknown>): Promise<Measured> {
  // As an admin: User.orders is for its owner or an admin.
  const headers = { 'x-debug-sql': '1', ...(await bearer(ADA)) };
  const { status, body } = await postRaw(stack.gateway.url, JSON.stringify({ query, variables }), headers);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return { data: body.data!, sqlStatements: body.extensions!.sqlStatements as Record<string, number> };
}

function count(data: Record<string, any>, walk: (data: Record<string, any>) => unknown[]): number {
  return walk(data).length;
}

describe('batched resolvers', () => {
  it('run the same few statements for 5 users as for 100, four levels deep', async () => {
    // 30 users, not 3: other test files sign up users, who have no posts, and are the newest.
    const small = await measure(batched, FOUR_LEVELS, { users: 30, posts: 2, comments: 2 });
    const large = await measure(batched, FOUR_LEVELS, { users: 100, posts: 10, comments: 20 });
    // users: the page, then one _entities batch for every comment author.
    // posts: one LATERAL statement for the posts of all users, one for the comments of all posts.
    expect(small.sqlStatements).toEqual({ users: 2, posts: 2, orders: 0 });
    expect(large.sqlStatements).toEqual({ users: 2, posts: 2, orders: 0 });
    const comments = count(large.data, (data) =>
      data.users.edges.flatMap((user: any) => user.node.posts.edges.flatMap((post: any) => post.node.comments.edges)),
    );
    expect(comments).toBeGreaterThan(100);
  });

  it('count every connection of a level in one GROUP BY statement', async () => {
    const small = await measure(batched, WITH_TOTALS, { users: 30, posts: 2 });
    const large = await measure(batched, WITH_TOTALS, { users: 100, posts: 20 });
    // posts: posts page + posts count + comments page + comments count.
    expect(small.sqlStatements).toEqual({ users: 2, posts: 4, orders: 0 });
    expect(large.sqlStatements).toEqual(small.sqlStatements);
  });

  it('batch orders, their items and products, and the buyers back in users', async () => {
    const small = await measure(batched, ORDERS, { users: 30, orders: 1 });
    const large = await measure(batched, ORDERS, { users: 100, orders: 10 });
    // orders: orders page + count + items + products.
    expect(small.sqlStatements).toEqual({ users: 2, posts: 0, orders: 4 });
    expect(large.sqlStatements).toEqual(small.sqlStatements);
  });

  it('give each parent its own page and cursors in the batched statement', async () => {
    const query = `query ($after: String) { users(first: 20) { edges { node { id
      posts(first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } } } }`;
    const first = await measure(batched, query, {});
    const firstNaive = await measure(naive, query, {});
    expect(first.data).toEqual(firstNaive.data);
    const prolific = first.data.users.edges.find((user: any) => user.node.posts.pageInfo.hasNextPage).node;
    const next = await postGraphQL(
      batched.gateway.url,
      `query ($id: ID!, $after: String) { user(id: $id) { posts(first: 2, after: $after) { edges { node { id } } } } }`,
      { id: prolific.id, after: prolific.posts.pageInfo.endCursor },
    );
    const all = await postGraphQL(batched.gateway.url, `query ($id: ID!) { user(id: $id) { posts(first: 4) { edges { node { id } } } } }`, {
      id: prolific.id,
    });
    const ids = (edges: any[]) => edges.map((edge) => edge.node.id);
    expect([...ids(prolific.posts.edges), ...ids(next.body.data!.user.posts.edges)]).toEqual(ids(all.body.data!.user.posts.edges));
  });

  it('report no statements unless asked with x-debug-sql: 1', async () => {
    const { body } = await postGraphQL(batched.gateway.url, '{ users(first: 1) { totalCount } }');
    expect(body.extensions?.sqlStatements).toBeUndefined();
  });
});

describe('the naive build (NAIVE_RESOLVERS=true)', () => {
  it('runs one statement per parent, and answers the same', async () => {
    const variables = { users: 20, posts: 3, comments: 2 };
    const batchedResult = await measure(batched, FOUR_LEVELS, variables);
    const naiveResult = await measure(naive, FOUR_LEVELS, variables);
    expect(naiveResult.data).toEqual(batchedResult.data);
    const posts = count(naiveResult.data, (data) => data.users.edges.flatMap((user: any) => user.node.posts.edges));
    // One posts statement per user, one comments statement per post.
    expect(naiveResult.sqlStatements.posts).toBe(20 + posts);
    expect(naiveResult.sqlStatements.users).toBeGreaterThan(10);
  });
});
