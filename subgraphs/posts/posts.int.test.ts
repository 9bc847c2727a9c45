import { describe, expect, it } from 'vitest';
import { postGraphQL, useTestSubgraph } from '../../test/graphql.ts';
import { connectPostsDatabase } from './src/db.ts';
import { postsSubgraph } from './src/subgraph.ts';

const subgraph = useTestSubgraph('posts', postsSubgraph, connectPostsDatabase);
const { db } = subgraph;

interface CommentsPage {
  totalCount: number;
  edges: { node: { id: string; post: { id: string } } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const POSTS_PAGE = `query ($first: Int, $after: String) {
  posts(first: $first, after: $after) { totalCount edges { node { id title } } pageInfo { hasNextPage endCursor } }
}`;

async function commentsPage(query: string, postId: number, after: string | null): Promise<CommentsPage> {
  const { body } = await postGraphQL<{ post: { comments: CommentsPage } }>(subgraph.service.url, query, { id: String(postId), after });
  return body.data!.post.comments;
}

describe('posts subgraph', () => {
  it('keeps cursors stable when posts are inserted between pages', async () => {
    const before = await postGraphQL(subgraph.service.url, POSTS_PAGE, { first: 10 });
    const expectedIds = before.body.data!.posts.edges.map((edge: { node: { id: string } }) => edge.node.id);
    const first = await postGraphQL(subgraph.service.url, POSTS_PAGE, { first: 5 });
    const inserted = await db.post.create({ data: { authorId: 1, title: 'Breaking news', body: 'Inserted mid-paging.' } });
    try {
      const second = await postGraphQL(subgraph.service.url, POSTS_PAGE, { first: 5, after: first.body.data!.posts.pageInfo.endCursor });
      const seen = [...first.body.data!.posts.edges, ...second.body.data!.posts.edges].map((edge: { node: { id: string } }) => edge.node.id);
      expect(seen).toEqual(expectedIds);
      const fresh = await postGraphQL(subgraph.service.url, POSTS_PAGE, { first: 1 });
      expect(fresh.body.data!.posts.edges[0].node.id).toBe(String(inserted.id));
      expect(fresh.body.data!.posts.totalCount).toBe(before.body.data!.posts.totalCount + 1);
    } finally {
      await db.post.delete({ where: { id: inserted.id } });
    }
  });

  it("adds a user's posts to the User entity, newest first, with their total", async () => {
    const authorId = (await db.post.findFirstOrThrow({ orderBy: { id: 'asc' } })).authorId;
    const expected = await db.post.findMany({ where: { authorId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    const { body } = await postGraphQL(
      subgraph.service.url,
      `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on User { id posts(first: 100) { totalCount edges { node { id author { id } } } } } } }`,
      { representations: [{ __typename: 'User', id: String(authorId) }] },
    );
    const posts = body.data!._entities[0].posts;
    expect(posts.totalCount).toBe(expected.length);
    expect(posts.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(expected.map((post) => String(post.id)));
    expect(posts.edges.every((edge: { node: { author: { id: string } } }) => edge.node.author.id === String(authorId))).toBe(true);
  });

  it('gives an id that no user can have an empty list, not an error', async () => {
    const { body } = await postGraphQL(
      subgraph.service.url,
      `{ _entities(representations: [{ __typename: "User", id: "nope" }]) { ... on User { posts { totalCount edges { cursor } } } } }`,
    );
    expect(body).toEqual({ data: { _entities: [{ posts: { totalCount: 0, edges: [] } }] } });
  });

  it("pages a post's comments and links each back to its post", async () => {
    const busiest = await db.comment.groupBy({ by: ['postId'], _count: { id: true }, orderBy: { _count: { id: 'desc' } }, take: 1 });
    const postId = busiest[0]!.postId;
    const total = busiest[0]!._count.id;
    const query = `query ($id: ID!, $after: String) { post(id: $id) { comments(first: 2, after: $after) {
      totalCount edges { node { id post { id } author { id } } } pageInfo { hasNextPage endCursor } } } }`;
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const comments = await commentsPage(query, postId, after);
      expect(comments.totalCount).toBe(total);
      for (const edge of comments.edges) {
        expect(edge.node.post.id).toBe(String(postId));
        ids.push(edge.node.id);
      }
      after = comments.pageInfo.hasNextPage ? comments.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(ids).size).toBe(total);
  });

  it('gives null for a post that does not exist', async () => {
    const { body } = await postGraphQL(subgraph.service.url, '{ post(id: "123456789") { id } }');
    expect(body).toEqual({ data: { post: null } });
  });
});
