// Bad requests through the gateway: each gets a GraphQL error with a code and the status that
// the GraphQL-over-HTTP spec gives, never a 500.
import { beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, postRaw } from '../../test/graphql.ts';
import { useTestStack } from '../../test/gateway.ts';

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

  it.each([101, -1])('rejects first: %i with BAD_USER_INPUT naming the argument', async (first) => {
    const { status, body } = await postGraphQL(url, 'query ($first: Int) { posts(first: $first) { totalCount } }', { first });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
    expect(body.errors![0]!.message).toBe(`"first" must be between 0 and 100 (got ${first}).`);
  });

  it('rejects a nested first above 100 and keeps the rest of the data', async () => {
    const { status, body } = await postGraphQL(url, '{ users(first: 1) { edges { node { name posts(first: 500) { totalCount } } } } }');
    expect(status).toBe(200);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
    expect(body.errors![0]!.path).toEqual(['users', 'edges', 0, 'node', 'posts']);
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
