// The posts service's REST endpoints: posts, a post's comments and a user's posts, each newest
// first in cursor pages; 404s; validators; tokens verified against the users service's keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '#lib/service/http.ts';
import { BOB, bearer, tokenFor } from '../../test/auth.ts';
import { testDatabaseUrls } from '../../test/graphql.ts';
import { getRest, startWithUsersService } from '../../test/rest.ts';
import { connectPostsDatabase } from './src/db.ts';
import { postsSubgraph } from './src/subgraph.ts';

let running: Awaited<ReturnType<typeof startWithUsersService>>;
let service: RunningService;
const db = connectPostsDatabase(testDatabaseUrls().posts);
const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

beforeAll(async () => {
  running = await startWithUsersService('posts', postsSubgraph);
  service = running.service;
});
afterAll(async () => {
  await running.close();
  await db.$disconnect();
});

/** Every page of a list, following `nextCursor`. */
async function allPages(path: string): Promise<{ id: string }[]> {
  const items = [];
  let next: string | null = path;
  while (next) {
    const { status, body }: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await getRest(service, next);
    expect(status).toBe(200);
    items.push(...body.items);
    next = body.nextCursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${body.nextCursor}` : null;
  }
  return items;
}

describe('posts REST', () => {
  it('serves a post with its author by id, public and cacheable', async () => {
    const post = await db.post.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const { status, body, headers } = await getRest(service, `/posts/${post.id}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      id: String(post.id),
      authorId: String(post.authorId),
      title: post.title,
      body: post.body,
      createdAt: post.createdAt.toISOString(),
    });
    expect(headers.get('cache-control')).toBe('public, max-age=300');
    expect((await getRest(service, `/posts/${post.id}`, { 'if-none-match': headers.get('etag')! })).status).toBe(304);
  });

  it("pages a post's comments newest first; an unknown post is a 404", async () => {
    const post = await db.post.findFirstOrThrow({ where: { comments: { some: {} } }, orderBy: { comments: { _count: 'desc' } } });
    const expected = await db.comment.findMany({ where: { postId: post.id }, orderBy: NEWEST_FIRST });
    expect(expected.length).toBeGreaterThan(2);
    const firstTwo = await getRest(service, `/posts/${post.id}/comments?limit=2`, { 'x-debug-sql': '1' });
    expect(firstTwo.body.items).toEqual(
      expected.slice(0, 2).map((comment) => ({
        id: String(comment.id),
        postId: String(post.id),
        authorId: String(comment.authorId),
        text: comment.text,
        createdAt: comment.createdAt.toISOString(),
      })),
    );
    // The post (for the 404) and the page of comments.
    expect(firstTwo.headers.get('x-sql-statements')).toBe('2');
    expect((await allPages(`/posts/${post.id}/comments?limit=2`)).map((comment) => comment.id)).toEqual(expected.map((comment) => String(comment.id)));
    const missing = await getRest(service, '/posts/999999/comments');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it("pages a user's posts newest first in one statement; a user without posts has an empty page", async () => {
    const { authorId } = await db.post.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const expected = await db.post.findMany({ where: { authorId }, orderBy: NEWEST_FIRST });
    const first = await getRest(service, `/users/${authorId}/posts?limit=3`, { 'x-debug-sql': '1' });
    expect(first.body.items.map((post: { id: string }) => post.id)).toEqual(expected.slice(0, 3).map((post) => String(post.id)));
    expect(first.headers.get('x-sql-statements')).toBe('1');
    expect((await allPages(`/users/${authorId}/posts?limit=3`)).map((post) => post.id)).toEqual(expected.map((post) => String(post.id)));
    // This service knows users by id only: no posts is all it can say.
    const nobody = await getRest(service, '/users/999999/posts');
    expect(nobody.status).toBe(200);
    expect(nobody.body).toEqual({ items: [], nextCursor: null });
    expect((await getRest(service, '/users/abc/posts')).status).toBe(404);
  });

  it('pages every post newest first, 20 by default', async () => {
    const first = await getRest(service, '/posts');
    expect(first.body.items).toHaveLength(20);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    const expected = await db.post.findMany({ orderBy: NEWEST_FIRST, select: { id: true } });
    expect((await allPages('/posts?limit=100')).map((post) => post.id)).toEqual(expected.map((post) => String(post.id)));
  });

  it('answers bad parameters with 400 and unknown ids with 404', async () => {
    const badLimit = await getRest(service, '/posts?limit=500');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error).toMatchObject({ code: 'BAD_USER_INPUT', parameter: 'limit' });
    expect((await getRest(service, '/posts/1/comments?cursor=x')).body.error.parameter).toBe('cursor');
    expect((await getRest(service, '/posts/999999')).status).toBe(404);
  });

  it("verifies tokens against the users service's published keys: valid ones pass, bad ones are 401", async () => {
    expect((await getRest(service, '/posts/1', await bearer(BOB))).status).toBe(200);
    // A changed signature byte (the last character would only change unused padding bits).
    const [header, payload, signature = ''] = (await tokenFor(BOB)).split('.');
    const tampered = [header, payload, `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`].join('.');
    const refused = await getRest(service, '/posts/1', { authorization: `Bearer ${tampered}` });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('UNAUTHENTICATED');
  });
});
