import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { findNulCharacter } from './nul-characters.ts';

const find = (query: string, variables?: Record<string, unknown>) => findNulCharacter(parse(query), variables);

describe('findNulCharacter', () => {
  it('finds nothing in clean operations, variables that are not declared included', () => {
    expect(find('query ($id: ID!) { post(id: $id) { title(format: "plain") } }', { id: '5', other: 'a\u0000' })).toBeNull();
  });

  it('names a literal argument, with the path inside it', () => {
    expect(find('{ post(id: "1\\u0000") { id } }')).toBe('id');
    expect(find('mutation { placeOrder(input: { items: [{ productId: "1" }, { productId: "2\\u0000" }] }) { id } }')).toBe('input.items.1.productId');
  });

  it('names a variable by the argument it is passed to', () => {
    const logIn = 'mutation ($credentials: LogInInput!) { logIn(input: $credentials) { accessToken } }';
    expect(find(logIn, { credentials: { email: 'a\u0000@example.com', password: 'x' } })).toBe('input.email');
    const nested = 'mutation ($title: String!) { createPost(input: { title: $title, body: "b" }) { id } }';
    expect(find(nested, { title: ['a', 'b\u0000'] })).toBe('input.title.1');
  });

  it('finds NULs in fragments, directive arguments and variable defaults', () => {
    expect(find('{ ...F } fragment F on Query { user(id: "\\u0000") { id } }')).toBe('id');
    expect(find('query ($x: Boolean!) { me @skip(if: $x) { id } }', { x: true })).toBeNull();
    expect(find('query ($id: ID = "\\u0000") { user(id: $id) { id } }')).toBe('$id');
  });
});
