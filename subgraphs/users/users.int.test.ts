import { describe, expect, it } from 'vitest';
import { postGraphQL, useTestSubgraph } from '../../test/graphql.ts';
import { connectUsersDatabase } from './src/db.ts';
import { usersSubgraph } from './src/subgraph.ts';
import { ADA, bearer } from '../../test/auth.ts';

const subgraph = useTestSubgraph('users', usersSubgraph, connectUsersDatabase);
const { db } = subgraph;

interface UsersPage {
  totalCount: number;
  edges: { cursor: string; node: { id: string; createdAt: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const USERS_PAGE = `query ($first: Int, $after: String) {
  users(first: $first, after: $after) {
    totalCount
    edges { cursor node { id name createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function usersPage(first: number, after: string | null): Promise<UsersPage> {
  const { body } = await postGraphQL<{ users: UsersPage }>(subgraph.service.url, USERS_PAGE, { first, after });
  return body.data!.users;
}

describe('users subgraph', () => {
  it('pages through every user exactly once, newest first', async () => {
    const seen: { id: string; createdAt: string }[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let page = 0; page < 100; page++) {
      const users = await usersPage(7, after);
      totalCount = users.totalCount;
      seen.push(...users.edges.map((edge) => edge.node));
      if (!users.pageInfo.hasNextPage) break;
      expect(users.pageInfo.endCursor).toBe(users.edges.at(-1)!.cursor);
      after = users.pageInfo.endCursor;
    }
    expect(totalCount).toBe(await db.user.count());
    expect(seen).toHaveLength(totalCount);
    expect(new Set(seen.map((user) => user.id)).size).toBe(totalCount);
    const times = seen.map((user) => Date.parse(user.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('defaults to 20 users and serves DateTime as ISO-8601', async () => {
    const { body } = await postGraphQL(subgraph.service.url, USERS_PAGE);
    expect(body.data!.users.edges).toHaveLength(20);
    expect(body.data!.users.edges[0].node.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('returns an empty page for first: 0, still with the total', async () => {
    const { body } = await postGraphQL(subgraph.service.url, USERS_PAGE, { first: 0 });
    expect(body.data!.users).toMatchObject({ edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
    expect(body.data!.users.totalCount).toBeGreaterThan(0);
  });

  it('finds a user by id, and gives null for ids with no user', async () => {
    const ada = await db.user.findUniqueOrThrow({ where: { email: 'ada@example.com' } });
    const { body } = await postGraphQL(
      subgraph.service.url,
      `query ($id: ID!) { user(id: $id) { id name email role } missing: user(id: "999999") { id } junk: user(id: "abc") { id } }`,
      { id: String(ada.id) },
      await bearer(ADA),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      user: { id: String(ada.id), name: 'Ada Admin', email: 'ada@example.com', role: 'ADMIN' },
      missing: null,
      junk: null,
    });
  });

  it('resolves entity references for the gateway, null where none exists', async () => {
    const { body } = await postGraphQL(
      subgraph.service.url,
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id name } } }`,
      {
        representations: [
          { __typename: 'User', id: '2' },
          { __typename: 'User', id: '404404' },
          { __typename: 'User', id: '1' },
        ],
      },
    );
    const [bob, ada] = await Promise.all([2, 1].map((id) => db.user.findUniqueOrThrow({ where: { id } })));
    expect(body.data!._entities).toEqual([{ id: '2', name: bob!.name }, null, { id: '1', name: ada!.name }]);
  });

  it('answers "me" with null for an anonymous request', async () => {
    const { body } = await postGraphQL(subgraph.service.url, '{ me { id } }');
    expect(body).toEqual({ data: { me: null } });
  });
});
