import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeSubgraphs, CompositionError, type SubgraphSdl } from './compose.ts';

const fixture = (path: string) => readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');

function fixtureSubgraphs(postsFixture = 'subgraphs/posts.graphql'): SubgraphSdl[] {
  return [
    { name: 'users', url: 'http://localhost:4001/graphql', file: 'fixtures/subgraphs/users.graphql', sdl: fixture('subgraphs/users.graphql') },
    { name: 'posts', url: 'http://localhost:4002/graphql', file: `fixtures/${postsFixture}`, sdl: fixture(postsFixture) },
  ];
}

function compositionProblems(subgraphs: SubgraphSdl[]): CompositionError {
  try {
    composeSubgraphs(subgraphs);
  } catch (error) {
    if (error instanceof CompositionError) return error;
    throw error;
  }
  throw new Error('the subgraphs composed');
}

describe('composeSubgraphs', () => {
  it('composes the supergraph and the API schema, which keeps the descriptions and leaves out federation', () => {
    const { supergraphSdl, apiSchemaSdl } = composeSubgraphs(fixtureSubgraphs());
    expect(supergraphSdl).toContain('@join__type(graph: USERS, key: "id")');
    expect(supergraphSdl).toContain('url: "http://localhost:4002/graphql"');
    expect(apiSchemaSdl).toContain('"""Display name."""\n  name: String!');
    expect(apiSchemaSdl).toContain('"""How many posts this user wrote."""\n  postCount: Int!');
    expect(apiSchemaSdl).not.toMatch(/@key|@join__|_entities|_service/);
  });

  it('reports a field that two subgraphs define without @shareable, with both subgraphs and lines', () => {
    const error = compositionProblems(fixtureSubgraphs('conflicts/posts-non-shareable-field.graphql'));
    expect(error.problems).toEqual([
      {
        code: 'INVALID_FIELD_SHARING',
        message: expect.stringContaining('Non-shareable field "User.name" is resolved from multiple subgraphs'),
        locations: [
          { subgraph: 'posts', file: 'fixtures/conflicts/posts-non-shareable-field.graphql', line: 36, column: 3 },
          { subgraph: 'users', file: 'fixtures/subgraphs/users.graphql', line: 27, column: 3 },
        ],
      },
    ]);
  });

  it('reports a field whose type differs between subgraphs, readably', () => {
    const error = compositionProblems(fixtureSubgraphs('conflicts/posts-field-type-mismatch.graphql'));
    expect(error.problems.map(({ code }) => code)).toContain('FIELD_TYPE_MISMATCH');
    expect(error.message).toContain(
      [
        '  [FIELD_TYPE_MISMATCH] Type of field "User.name" is incompatible across subgraphs: it has type "Int" in subgraph "posts" but type "String!" in subgraph "users"',
        '      at fixtures/conflicts/posts-field-type-mismatch.graphql:36:3 (subgraph posts)',
        '      at fixtures/subgraphs/users.graphql:27:3 (subgraph users)',
      ].join('\n'),
    );
    expect(error.message).toMatch(/^Supergraph composition failed with \d errors?:\n/);
  });

  it('reports a syntax error with its subgraph, line and column', () => {
    const subgraphs = fixtureSubgraphs();
    subgraphs[1]!.sdl = subgraphs[1]!.sdl.replace('title: String!', 'title: String!!');
    expect(compositionProblems(subgraphs).problems).toEqual([
      {
        code: 'GRAPHQL_PARSE_FAILED',
        message: 'Syntax Error: Expected Name, found "!".',
        locations: [{ subgraph: 'posts', file: 'fixtures/subgraphs/posts.graphql', line: 45, column: 17 }],
      },
    ]);
  });

  it('reports a type that a subgraph uses but nobody defines', () => {
    const subgraphs = fixtureSubgraphs();
    subgraphs[1]!.sdl = subgraphs[1]!.sdl.replace('author: User!', 'author: Usr!');
    expect(compositionProblems(subgraphs).problems).toEqual([
      expect.objectContaining({
        code: 'INVALID_GRAPHQL',
        message: '[posts] Unknown type Usr',
        locations: [expect.objectContaining({ subgraph: 'posts', file: 'fixtures/subgraphs/posts.graphql' })],
      }),
    ]);
  });
});
