// Bad requests through the gateway: each gets a GraphQL error with a code and the status that
// the GraphQL-over-HTTP spec gives, never a 500.
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, BOB } from '../../test/auth.ts';
import { postGraphQL, postRaw } from '../../test/graphql.ts';
import { useTestStack } from '../../test/gateway.ts';
import { getRest } from '../../test/rest.ts';

const stack = useTestStack();
let url: string;

beforeAll(async () => {
  url = stack.gateway.url;
});

function codes(body: { errors?: { extensions?: Record<string, unknown> }[] }) {
  return body.errors?.map((error) => error.extensions?.code);
}

describe('bad input through the gateway', () => {
  it('rejects a body that is not JSON with 400 BAD_REQUEST', async () => {
    const { status, body } = await postRaw(url, '{"query": "{ users { totalCount } ');
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['BAD_REQUEST']);
    expect(body.errors![0]!.message).toBe('The request body is not valid JSON.');
  });

  it('rejects a body over the size limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const { status, body } = await postGraphQL(url, `{ users { totalCount } } # ${'x'.repeat(200_000)}`);
    expect(status).toBe(413);
    expect(codes(body)).toEqual(['PAYLOAD_TOO_LARGE']);
  });

  it('rejects a request without a query with 400 BAD_REQUEST', async () => {
    const { status, body } = await postRaw(url, JSON.stringify({ variables: {} }));
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['BAD_REQUEST']);
  });

  it('rejects a query that does not parse with 400 GRAPHQL_PARSE_FAILED', async () => {
    const { status, body } = await postGraphQL(url, '{ users { ');
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('rejects an unknown field with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const { status, body } = await postGraphQL(url, '{ users { edges { node { nickname } } } }');
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(body.errors![0]!.message).toContain('nickname');
  });

  it('rejects an argument of the wrong type with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const { status, body } = await postGraphQL(url, '{ users(first: "ten") { totalCount } }');
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('rejects a variable of the wrong type with 400 BAD_USER_INPUT', async () => {
    const { status, body } = await postGraphQL(url, 'query ($n: Int) { users(first: $n) { totalCount } }', { n: 'ten' });
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
  });

  it.each([101, -1])('rejects first: %i with 400 BAD_USER_INPUT naming the argument and its field, before execution', async (first) => {
    const { status, body } = await postGraphQL(url, 'query ($first: Int) { posts(first: $first) { totalCount } }', { first });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first', field: 'posts' });
    expect(body.errors![0]!.message).toBe(`"first" of posts must be between 0 and 100 (got ${first}).`);
  });

  it('rejects a nested first above 100: the whole operation, since its cost cannot be known', async () => {
    const { status, body } = await postGraphQL(url, '{ users(first: 1) { edges { node { name posts(first: 500) { totalCount } } } } }');
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first', field: 'users.edges.node.posts' });
  });

  it('rejects a cursor that does not decode with BAD_USER_INPUT', async () => {
    const { status, body } = await postGraphQL(url, '{ users(after: "bm90IGEgY3Vyc29y") { totalCount } }');
    expect(status).toBe(200);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });

  it('gives null, not an error, for ids that do not exist', async () => {
    const { status, body } = await postGraphQL(url, '{ user(id: "424242") { id } post(id: "x") { id } product(id: "-5") { id } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ user: null, post: null, product: null });
  });

  it('serves application/graphql-response+json with 4xx for validation errors when the client asks', async () => {
    const { status, contentType } = await postRaw(url, JSON.stringify({ query: '{ nope }' }), {
      accept: 'application/graphql-response+json',
    });
    expect(status).toBe(400);
    expect(contentType).toContain('application/graphql-response+json');
  });
});

/** A cursor as this API would encode one, holding whatever a forger put in it. */
function forgedCursor(position: string): string {
  return Buffer.from(`v1:${position}`).toString('base64url');
}

// Values PostgreSQL cannot hold: an id past its 32-bit integer, a date JavaScript accepts but
// PostgreSQL does not (its timestamps end at year 294276 and start at 4713 BC; JavaScript's
// reach 275760 and -271821), and a year 0 that JavaScript reads and PostgreSQL has not.
const FORGED_CURSORS = [
  ['an id beyond 32 bits', forgedCursor('2026-01-01T00:00:00.000Z:2147483648')],
  ['an id beyond 53 bits', forgedCursor('2026-01-01T00:00:00.000Z:99999999999999999999')],
  ['the year -271821', forgedCursor('-271821-04-20T00:00:00.000Z:5')],
  ['the year 275760', forgedCursor('+275760-09-13T00:00:00.000Z:5')],
  ['the year 0', forgedCursor('0000-01-01T00:00:00.000Z:5')],
  ['a date in another format', forgedCursor('Tue Mar 03 2026:5')],
] as const;

describe('forged cursors', () => {
  it.each(FORGED_CURSORS)('refuses %s as "after", at the root and in a nested list, with BAD_USER_INPUT', async (_, cursor) => {
    const { status, body } = await postGraphQL(
      url,
      `query ($after: String) {
        posts(first: 1, after: $after) { totalCount }
        users(first: 1) { edges { node { posts(first: 1, after: $after) { totalCount } } } }
      }`,
      { after: cursor },
    );
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(2);
    for (const error of body.errors!) {
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
      expect(error.message).toBe('"after" is not a cursor returned by this API.');
    }
  });

  it.each(FORGED_CURSORS)('refuses %s as a REST cursor with 400 BAD_USER_INPUT', async (_, cursor) => {
    for (const path of ['/posts', '/users/1/posts', '/posts/1/comments']) {
      const { status, body } = await getRest(stack.subgraphs.posts, `${path}?cursor=${cursor}`);
      expect(status, path).toBe(400);
      expect(body.error).toEqual({ code: 'BAD_USER_INPUT', parameter: 'cursor', message: '"cursor" is not a cursor returned by this API.' });
    }
  });
});

describe('strings with a NUL character (PostgreSQL cannot store U+0000)', () => {
  const refusal = (argument: string) => ({
    code: 'BAD_USER_INPUT',
    argumentName: argument,
  });

  it('refuses a NUL in a variable through the gateway with 400 BAD_USER_INPUT naming the argument', async () => {
    const { status, body } = await postGraphQL(url, 'mutation ($input: LogInInput!) { logIn(input: $input, delivery: BODY) { accessToken } }', {
      input: { email: 'bob\u0000@example.com', password: 'demo-password' },
    });
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toEqual(refusal('input.email'));
    expect(body.errors![0]!.message).toBe('"input.email" must not contain the NUL character (U+0000): remove it and try again.');
  });

  it('refuses a NUL in a literal argument through the gateway, naming it', async () => {
    const { status, body } = await postGraphQL(
      url,
      'mutation { createPost(input: { title: "a\\u0000b", body: "text" }) { id } }',
      undefined,
      await bearer(BOB),
    );
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toEqual(refusal('input.title'));
  });

  it('refuses a NUL in a list item and in a plain argument, naming each', async () => {
    const { body } = await postGraphQL(url, '{ post(id: "1\\u0000") { id } }');
    expect(body.errors![0]!.extensions).toEqual(refusal('id'));
    const order = await postGraphQL(
      url,
      'mutation ($key: String!) { placeOrder(input: { items: [{ productId: "1", quantity: 1 }, { productId: "2\\u0000", quantity: 1 }] }, idempotencyKey: $key) { id } }',
      { key: 'nul-test' },
      await bearer(BOB),
    );
    expect(order.status).toBe(400);
    expect(order.body.errors![0]!.extensions).toEqual(refusal('input.items.1.productId'));
  });

  it('refuses a NUL sent straight to a subgraph (they can be reached without the gateway)', async () => {
    const { status, body } = await postGraphQL(
      stack.subgraphs.posts.url,
      'mutation ($input: CreatePostInput!) { createPost(input: $input) { id } }',
      { input: { title: 'title\u0000', body: 'text' } },
      await bearer(BOB),
    );
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toEqual(refusal('input.title'));
  });
});

describe('malformed entity representations sent straight to a subgraph', () => {
  it.each([
    ['no __typename', { id: '1' }, 'null'],
    ['a type the subgraph does not resolve', { __typename: 'Nope', id: '1' }, '"Nope"'],
    ['a type that is not an entity', { __typename: 'Query' }, '"Query"'],
    ['not an object', 'User:1', 'null'],
  ])('refuses %s with BAD_USER_INPUT', async (_, representation, got) => {
    const { status, body } = await postGraphQL(
      stack.subgraphs.posts.url,
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Post { title } } }',
      { representations: [{ __typename: 'Post', id: '1' }, representation] },
    );
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'representations' });
    expect(body.errors![0]!.message).toBe(`"representations.1" must be an object whose "__typename" names an entity type of this subgraph (got ${got}).`);
  });
});
