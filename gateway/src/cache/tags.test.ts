import { buildSchema, parse, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { entityTags, fragmentsOf, responseTags } from './tags.ts';

const schema = buildSchema(`
  type Query { post(id: ID!): Post posts(first: Int): PostConnection! me: User }
  type Post { id: ID! title: String! author: User! comments(first: Int): CommentConnection! }
  type User { id: ID! name: String! posts(first: Int): PostConnection! }
  type Comment { id: ID! text: String! author: User! }
  type PostConnection { edges: [PostEdge!]! totalCount: Int! }
  type PostEdge { cursor: String! node: Post! }
  type CommentConnection { edges: [CommentEdge!]! }
  type CommentEdge { node: Comment! }
`);

const tagsOf = (query: string, data: Record<string, unknown>) => responseTags(schema, parse(query), undefined, data)?.sort();

describe('responseTags', () => {
  it('tags an entity read with its id by that id alone', () => {
    expect(tagsOf('{ post(id: "5") { id title author { id name } } }', { post: { id: '5', title: 'T', author: { id: '2', name: 'Bob' } } })).toEqual([
      'Post#5',
      'User#2',
    ]);
  });

  it('tags an entity read without its id by its type, which any change of that type invalidates', () => {
    expect(tagsOf('{ post(id: "5") { title author { name } } }', { post: { title: 'T', author: { name: 'Bob' } } })).toEqual(['Post', 'User']);
  });

  it('follows aliases and fragments', () => {
    const query = '{ p: post(id: "5") { ...F } } fragment F on Post { key: id author { ... on User { uid: id } } }';
    expect(tagsOf(query, { p: { key: '5', author: { uid: '2' } } })).toEqual(['Post#5', 'User#2']);
  });

  it('tags the members of a root list with their type too: creating one changes the list', () => {
    const data = { posts: { totalCount: 2, edges: [{ node: { id: '9', author: { id: '1' } } }, { node: { id: '8', author: { id: '1' } } }] } };
    expect(tagsOf('{ posts(first: 2) { totalCount edges { node { id author { id } } } } }', data)).toEqual(['Post', 'Post#8', 'Post#9', 'User#1']);
  });

  it("leaves a list below an entity to that entity's tag", () => {
    const data = { post: { id: '5', comments: { edges: [{ node: { id: '40', text: 'hi' } }] } } };
    expect(tagsOf('{ post(id: "5") { id comments(first: 1) { edges { node { id text } } } } }', data)).toEqual(['Comment#40', 'Post#5']);
  });

  it('tags a missing entity by its type: creating it must show', () => {
    expect(tagsOf('{ post(id: "404") { id } }', { post: null })).toEqual(['Post']);
  });

  it('skips fields left out by @skip', () => {
    expect(tagsOf('{ post(id: "5") { id author @skip(if: true) { id } } }', { post: { id: '5' } })).toEqual(['Post#5']);
  });

  it('refuses to tag what it cannot follow (a field the schema does not have)', () => {
    expect(responseTags(schema, parse('{ post(id: "5") { id secret { id } } }'), undefined, { post: { id: '5', secret: { id: 1 } } })).toBeNull();
  });
});

describe('entityTags', () => {
  const fetch = parse(
    'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { name posts(first: 2) { edges { node { title } } } } } }',
  );
  const entities = ((fetch.definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode).selectionSet!;

  it("tags an entity by its representation's id, and what it holds by type when not named", () => {
    const data = { name: 'Bob', posts: { edges: [{ node: { title: 'A' } }] } };
    expect(entityTags(schema, entities, fragmentsOf(fetch), 'User', '2', data)?.sort()).toEqual(['Post', 'User#2']);
  });
});
