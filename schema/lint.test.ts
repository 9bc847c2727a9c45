import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatLintProblem, lintSchema } from './lint.ts';

const fixture = (path: string) => readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');

describe('lintSchema', () => {
  it('finds nothing in a schema that follows the conventions (a root type needs no description)', () => {
    expect(lintSchema(fixture('api-changes/base.graphql'))).toEqual([]);
  });

  it('reports each broken convention on its own line, with file, line and column', () => {
    const problems = lintSchema(fixture('lint/conventions-broken.graphql'), 'lint/conventions-broken.graphql');
    expect(problems.map(formatLintProblem)).toEqual([
      'lint/conventions-broken.graphql:4:8 [description] Query.user(id:) has no description.',
      'lint/conventions-broken.graphql:7:3 [connection] Query.users returns UserConnection but has no argument first: Int.',
      'lint/conventions-broken.graphql:7:3 [connection] Query.users returns UserConnection but has no argument after: String.',
      'lint/conventions-broken.graphql:13:3 [naming] Query.users_by_role should be camelCase.',
      'lint/conventions-broken.graphql:15:5 [naming] Query.users_by_role(Role:) should be camelCase.',
      'lint/conventions-broken.graphql:19:6 [description] User has no description.',
      'lint/conventions-broken.graphql:23:3 [description] User.name has no description.',
      'lint/conventions-broken.graphql:27:6 [naming] role_name should be PascalCase.',
      'lint/conventions-broken.graphql:29:3 [naming] role_name.user should be UPPER_CASE.',
      'lint/conventions-broken.graphql:36:6 [connection] UserConnection has no field totalCount: Int! (Relay connection shape).',
      'lint/conventions-broken.graphql:38:3 [connection] UserConnection.edges should be of type [UserEdge!]!, not [UserEdge].',
      'lint/conventions-broken.graphql:45:6 [connection] UserEdge has no field cursor: String! (Relay connection shape).',
      'lint/conventions-broken.graphql:47:3 [connection] UserEdge.node should be of type User, not Post.',
    ]);
  });

  it('accepts a nullable edge node and UPPER_CASE enum values with digits and underscores', () => {
    const sdl = fixture('api-changes/base.graphql').replace('  node: User!', '  node: User').replace('  ADMIN\n', '  SUPER_ADMIN_2\n');
    expect(lintSchema(sdl)).toEqual([]);
  });

  it('lints input types and their fields too', () => {
    const sdl = `${fixture('api-changes/base.graphql')}
"""A new user's details."""
input NewUser {
  """Display name."""
  display_name: String!
  email: String!
}`;
    expect(lintSchema(sdl).map(({ rule, coordinate }) => `${rule} ${coordinate}`)).toEqual(['naming NewUser.display_name', 'description NewUser.email']);
  });
});
