// One query through the gateway that spans the three subgraphs, checked against the databases.
import { describe, expect, it } from 'vitest';
import { ADA, bearer } from '../../test/auth.ts';
import { postGraphQL, useTestDatabaseClients } from '../../test/graphql.ts';
import { useTestStack } from '../../test/gateway.ts';

const { users, posts, orders } = useTestDatabaseClients();
const stack = useTestStack();

const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

describe('federation through the gateway', () => {
  it('answers the three-subgraph query with the data in the three databases', async () => {
    const { status, body } = await postGraphQL(
      stack.gateway.url,
      // 10 users: accounts that other test files sign up are the newest, and have no posts yet.
      `{ users(first: 10) { edges { node { id name posts(first: 2) { edges { node { title
          comments(first: 2) { totalCount } } } } orders(first: 2) { totalCount } } } } }`,
      {},
      await bearer(ADA),
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();

    const expectedUsers = await users.user.findMany({ orderBy: NEWEST_FIRST, take: 10 });
    const expected = await Promise.all(
      expectedUsers.map(async (user) => {
        const userPosts = await posts.post.findMany({ where: { authorId: user.id }, orderBy: NEWEST_FIRST, take: 2 });
        return {
          id: String(user.id),
          name: user.name,
          posts: {
            edges: await Promise.all(
              userPosts.map(async (post) => ({
                node: { title: post.title, comments: { totalCount: await posts.comment.count({ where: { postId: post.id } }) } },
              })),
            ),
          },
          orders: { totalCount: await orders.order.count({ where: { buyerId: user.id } }) },
        };
      }),
    );
    expect(body.data!.users.edges.map((edge: { node: unknown }) => edge.node)).toEqual(expected);
    // Guard against a vacuous pass: the seed gives these users posts, comments and orders.
    expect(expected.some((user) => user.posts.edges.length > 0 && user.orders.totalCount > 0)).toBe(true);
  });

  it('resolves references across services: post to author and commenters, order to buyer', async () => {
    const comment = await posts.comment.findFirstOrThrow({ include: { post: true } });
    const order = await orders.order.findFirstOrThrow({ where: { items: { some: {} } }, include: { items: true } });
    const { body } = await postGraphQL(
      stack.gateway.url,
      `query ($post: ID!, $order: ID!) {
        post(id: $post) { author { id name } comments(first: 100) { edges { node { id author { id name } post { id } } } } }
        order(id: $order) { buyer { id name email } items { quantity product { id name } } }
      }`,
      { post: String(comment.postId), order: String(order.id) },
      await bearer(ADA),
    );
    expect(body.errors).toBeUndefined();
    const author = await users.user.findUniqueOrThrow({ where: { id: comment.post.authorId } });
    expect(body.data!.post.author).toEqual({ id: String(author.id), name: author.name });
    const served = body.data!.post.comments.edges.find((edge: { node: { id: string } }) => edge.node.id === String(comment.id));
    const commenter = await users.user.findUniqueOrThrow({ where: { id: comment.authorId } });
    expect(served.node).toEqual({ id: String(comment.id), author: { id: String(commenter.id), name: commenter.name }, post: { id: String(comment.postId) } });
    const buyer = await users.user.findUniqueOrThrow({ where: { id: order.buyerId } });
    expect(body.data!.order.buyer).toEqual({ id: String(buyer.id), name: buyer.name, email: buyer.email });
    expect(body.data!.order.items.map((item: { product: { id: string } }) => item.product.id).sort()).toEqual(
      order.items.map((item) => String(item.productId)).sort(),
    );
  });
});
