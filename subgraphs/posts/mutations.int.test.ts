// The posts subgraph's mutations over HTTP: who may write, delete and comment, and how invalid
// input is reported. Each test makes its own posts and comments in the database.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role } from '#lib/service/auth.ts';
import { ADA, BOB, CAROL, bearer } from '../../test/auth.ts';
import { postGraphQL, useTestSubgraph, type GraphQLResponse } from '../../test/graphql.ts';
import { connectPostsDatabase } from './src/db.ts';
import { postsSubgraph } from './src/subgraph.ts';

const subgraph = useTestSubgraph('posts', postsSubgraph, connectPostsDatabase);
const { db } = subgraph;

interface TestUser {
  id: number;
  role: Role;
}
type Body = GraphQLResponse<Record<string, any>>['body'];

/** Neither the author of the posts below nor of their comments. */
const DAVE: TestUser = { id: 4, role: 'USER' };

const POST = 'id title body author { id }';
const CREATE_POST = `mutation ($input: CreatePostInput!) { createPost(input: $input) { ${POST} } }`;
const UPDATE_POST = `mutation ($id: ID!, $input: UpdatePostInput!) { updatePost(id: $id, input: $input) { ${POST} } }`;
const DELETE_POST = `mutation ($id: ID!) { deletePost(id: $id) }`;
const ADD_COMMENT = `mutation ($input: AddCommentInput!) { addComment(input: $input) { id text author { id } post { id } } }`;
const DELETE_COMMENT = `mutation ($id: ID!) { deleteComment(id: $id) }`;

const codes = (body: Body) => body.errors?.map((error) => error.extensions?.code);
const fieldErrors = (body: Body) => body.errors?.map((error) => error.extensions?.fieldErrors);

async function send(user: TestUser | null, query: string, variables: Record<string, unknown>, scopes?: string[]): Promise<Body> {
  const headers = user ? await bearer(user, scopes) : {};
  return (await postGraphQL(subgraph.service.url, query, variables, headers)).body;
}

const newPost = (author: TestUser) => db.post.create({ data: { authorId: author.id, title: `Title ${randomUUID()}`, body: 'The original body.' } });
const newComment = (postId: number, author: TestUser) => db.comment.create({ data: { postId, authorId: author.id, text: 'Nice post.' } });

describe('createPost', () => {
  const input = () => ({ title: `Title ${randomUUID()}`, body: 'Some text.' });

  it.each([
    { caller: 'an anonymous caller', user: null, scopes: undefined, code: 'UNAUTHENTICATED' },
    { caller: 'a token without posts:write', user: BOB, scopes: ['orders:read'], code: 'FORBIDDEN' },
  ])('refuses $caller with $code and writes nothing', async ({ user, scopes, code }) => {
    const post = input();
    const body = await send(user, CREATE_POST, { input: post }, scopes);
    expect(codes(body)).toEqual([code]);
    expect(body.data).toBeNull();
    expect(await db.post.count({ where: { title: post.title } })).toBe(0);
  });

  it.each([
    {
      problem: 'a blank title and a body too long',
      input: { title: '   ', body: 'x'.repeat(20_001) },
      errors: [
        { field: 'input.title', message: 'must not be empty' },
        { field: 'input.body', message: 'must be at most 20,000 characters' },
      ],
    },
    {
      problem: 'a title too long and an empty body',
      input: { title: 'x'.repeat(201), body: '' },
      errors: [
        { field: 'input.title', message: 'must be at most 200 characters' },
        { field: 'input.body', message: 'must not be empty' },
      ],
    },
  ])('reports $problem field by field', async ({ input, errors }) => {
    const body = await send(BOB, CREATE_POST, { input });
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(fieldErrors(body)).toEqual([errors]);
  });

  it("publishes the post, trimmed, as the token's user", async () => {
    const title = `Spring notes ${randomUUID()}`;
    const body = await send(CAROL, CREATE_POST, { input: { title: `  ${title} `, body: 'Buds on the trees. ' } });
    expect(body.errors).toBeUndefined();
    const post = body.data!.createPost;
    expect(post).toEqual({ id: expect.any(String), title, body: 'Buds on the trees.', author: { id: String(CAROL.id) } });
    expect(await db.post.findUniqueOrThrow({ where: { id: Number(post.id) } })).toMatchObject({ authorId: CAROL.id, title });
  });
});

describe('updatePost', () => {
  it.each([
    { editor: 'its author', user: BOB },
    { editor: 'an admin', user: ADA },
  ])('lets $editor change the title and keeps the body', async ({ user }) => {
    const post = await newPost(BOB);
    const body = await send(user, UPDATE_POST, { id: String(post.id), input: { title: 'A better title' } });
    expect(body).toEqual({
      data: { updatePost: { id: String(post.id), title: 'A better title', body: 'The original body.', author: { id: String(BOB.id) } } },
    });
    expect(await db.post.findUniqueOrThrow({ where: { id: post.id } })).toMatchObject({ title: 'A better title', body: post.body });
  });

  it("refuses another user's post with FORBIDDEN and leaves it as it was", async () => {
    const post = await newPost(BOB);
    const body = await send(CAROL, UPDATE_POST, { id: String(post.id), input: { title: 'Mine now', body: 'Gone.' } });
    expect(codes(body)).toEqual(['FORBIDDEN']);
    expect(await db.post.findUniqueOrThrow({ where: { id: post.id } })).toEqual(post);
  });

  it('refuses a change that changes nothing', async () => {
    const post = await newPost(BOB);
    const body = await send(BOB, UPDATE_POST, { id: String(post.id), input: {} });
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(fieldErrors(body)).toEqual([[{ field: 'input', message: 'must change the title or the body' }]]);
  });

  it('gives NOT_FOUND for a post that does not exist', async () => {
    const body = await send(ADA, UPDATE_POST, { id: '987654321', input: { title: 'Anything' } });
    expect(codes(body)).toEqual(['NOT_FOUND']);
    expect(body.data).toBeNull();
  });
});

describe('deletePost', () => {
  it("refuses another user's post with FORBIDDEN and keeps it", async () => {
    const post = await newPost(BOB);
    const body = await send(CAROL, DELETE_POST, { id: String(post.id) });
    expect(codes(body)).toEqual(['FORBIDDEN']);
    expect(await db.post.count({ where: { id: post.id } })).toBe(1);
  });

  it('lets the author delete the post, and its comments go with it', async () => {
    const post = await newPost(BOB);
    await newComment(post.id, CAROL);
    await newComment(post.id, BOB);
    const body = await send(BOB, DELETE_POST, { id: String(post.id) });
    expect(body).toEqual({ data: { deletePost: String(post.id) } });
    const read = await send(null, 'query ($id: ID!) { post(id: $id) { id } }', { id: String(post.id) });
    expect(read).toEqual({ data: { post: null } });
    expect(await db.comment.count({ where: { postId: post.id } })).toBe(0);
  });
});

describe('addComment', () => {
  it('adds the comment as the token user, linked to its post', async () => {
    const post = await newPost(BOB);
    const body = await send(CAROL, ADD_COMMENT, { input: { postId: String(post.id), text: ' Well said. ' } });
    expect(body).toEqual({
      data: { addComment: { id: expect.any(String), text: 'Well said.', author: { id: String(CAROL.id) }, post: { id: String(post.id) } } },
    });
    expect(await db.comment.count({ where: { postId: post.id, authorId: CAROL.id } })).toBe(1);
  });

  it.each([
    { problem: 'a post id that is not an id', postId: 'abc' },
    { problem: 'a post that does not exist', postId: '987654321' },
  ])('refuses $problem as input.postId', async ({ postId }) => {
    const body = await send(CAROL, ADD_COMMENT, { input: { postId, text: 'Hello?' } });
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(fieldErrors(body)).toEqual([[{ field: 'input.postId', message: 'is not the id of a post' }]]);
  });

  it('refuses a blank comment and writes nothing', async () => {
    const post = await newPost(BOB);
    const body = await send(CAROL, ADD_COMMENT, { input: { postId: String(post.id), text: '  ' } });
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(fieldErrors(body)).toEqual([[{ field: 'input.text', message: 'must not be empty' }]]);
    expect(await db.comment.count({ where: { postId: post.id } })).toBe(0);
  });
});

describe('deleteComment', () => {
  // Every comment below is CAROL's, on a post of BOB's.
  it.each([
    { deleter: "the comment's author", user: CAROL },
    { deleter: "the post's author", user: BOB },
    { deleter: 'an admin', user: ADA },
  ])('lets $deleter delete it', async ({ user }) => {
    const comment = await newComment((await newPost(BOB)).id, CAROL);
    const body = await send(user, DELETE_COMMENT, { id: String(comment.id) });
    expect(body).toEqual({ data: { deleteComment: String(comment.id) } });
    expect(await db.comment.count({ where: { id: comment.id } })).toBe(0);
  });

  it('refuses anyone else with FORBIDDEN and keeps the comment', async () => {
    const comment = await newComment((await newPost(BOB)).id, CAROL);
    const body = await send(DAVE, DELETE_COMMENT, { id: String(comment.id) });
    expect(codes(body)).toEqual(['FORBIDDEN']);
    expect(await db.comment.count({ where: { id: comment.id } })).toBe(1);
  });
});
