// The users service's REST endpoints: representations, email privacy, cursor pages, validators
// and 304, status codes and JSON errors, and the statement count outside production.
import { describe, expect, it } from 'vitest';
import { ADA, BOB, CAROL, bearer } from '../../test/auth.ts';
import { useTestSubgraph } from '../../test/graphql.ts';
import { getRest, type RestResponse } from '../../test/rest.ts';
import { connectUsersDatabase } from './src/db.ts';
import { usersSubgraph } from './src/subgraph.ts';

const subgraph = useTestSubgraph('users', usersSubgraph, connectUsersDatabase);
const { db } = subgraph;

describe('GET /users/:id', () => {
  it('serves the public representation to anyone, cacheable by shared caches, with a validator', async () => {
    const bob = await db.user.findUniqueOrThrow({ where: { id: BOB.id } });
    const { status, headers, body } = await getRest(subgraph.service, '/users/2');
    expect(status).toBe(200);
    expect(body).toEqual({ id: '2', name: bob.name, role: 'USER', createdAt: bob.createdAt.toISOString() });
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(headers.get('cache-control')).toBe('public, max-age=300');
    expect(headers.get('vary')).toBe('Authorization');
    expect(headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
  });

  it('shows the email to the user themself and to admins only, and then is private', async () => {
    const bob = await db.user.findUniqueOrThrow({ where: { id: BOB.id } });
    for (const viewer of [BOB, ADA]) {
      const { body, headers } = await getRest(subgraph.service, '/users/2', await bearer(viewer));
      expect(body.email).toBe(bob.email);
      expect(headers.get('cache-control')).toBe('private, no-store');
      expect(headers.get('etag')).toBeNull();
    }
    const asCarol = await getRest(subgraph.service, '/users/2', await bearer(CAROL));
    expect(asCarol.status).toBe(200);
    expect(asCarol.body).not.toHaveProperty('email');
    expect(asCarol.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('answers If-None-Match with 304 and no body while the representation is unchanged', async () => {
    const first = await getRest(subgraph.service, '/users/3');
    const etag = first.headers.get('etag')!;
    const revalidated = await getRest(subgraph.service, '/users/3', { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBeUndefined();
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(revalidated.headers.get('cache-control')).toBe('public, max-age=300');
    // Weak comparison, a list of tags, and `*`.
    expect((await getRest(subgraph.service, '/users/3', { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    expect((await getRest(subgraph.service, '/users/3', { 'if-none-match': '*' })).status).toBe(304);
    // Another user's tag is not this one's.
    const other = await getRest(subgraph.service, '/users/3', { 'if-none-match': (await getRest(subgraph.service, '/users/4')).headers.get('etag')! });
    expect(other.status).toBe(200);
    expect(other.body.id).toBe('3');
  });

  it('is a 404 with a JSON error for an id that matches nothing', async () => {
    for (const id of ['999999', 'abc', '0', '99999999999']) {
      const { status, body, headers } = await getRest(subgraph.service, `/users/${id}`);
      expect(status).toBe(404);
      expect(body).toEqual({ error: { code: 'NOT_FOUND', message: `There is no user with id "${id}".` } });
      expect(headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refuses a bad token with 401, never serving it as anonymous', async () => {
    for (const authorization of ['Bearer not.a.token', 'Basic Ym9iOnB3', `${(await bearer(BOB)).authorization}x`]) {
      const { status, body, headers } = await getRest(subgraph.service, '/users/2', { authorization });
      expect(status).toBe(401);
      expect(body.error.code).toBe('UNAUTHENTICATED');
      expect(headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
  });

  it('reports the SQL statements it ran when asked, outside production', async () => {
    const counted = await getRest(subgraph.service, '/users/2', { 'x-debug-sql': '1' });
    expect(counted.headers.get('x-sql-statements')).toBe('1');
    expect((await getRest(subgraph.service, '/users/2')).headers.get('x-sql-statements')).toBeNull();
  });
});

describe('GET /users', () => {
  it('pages through every user newest first with opaque cursors and a Link to the next page', async () => {
    const expected = (await db.user.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })).map((user) => String(user.id));
    const seen: string[] = [];
    let path: string | null = '/users?limit=7';
    let pages = 0;
    while (path) {
      const { status, body, headers }: RestResponse<{ items: { id: string }[]; nextCursor: string | null }> = await getRest(subgraph.service, path);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(7);
      seen.push(...body.items.map((user: { id: string }) => user.id));
      const link = headers.get('link');
      if (body.nextCursor) expect(link).toBe(`</users?limit=7&cursor=${body.nextCursor}>; rel="next"`);
      else expect(link).toBeNull();
      path = body.nextCursor ? `/users?limit=7&cursor=${body.nextCursor}` : null;
      pages += 1;
    }
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 7));
  });

  it('returns 20 by default, up to 100, as a public list', async () => {
    const { body, headers } = await getRest(subgraph.service, '/users');
    expect(body.items).toHaveLength(20);
    expect(body.items[0]).not.toHaveProperty('email');
    expect(headers.get('cache-control')).toBe('public, max-age=60');
    expect((await getRest(subgraph.service, '/users?limit=100')).body.items).toHaveLength(await db.user.count());
  });

  it("is private for an admin, who sees everyone's email", async () => {
    const { body, headers } = await getRest(subgraph.service, '/users?limit=5', await bearer(ADA));
    expect(body.items.every((user: { email?: string }) => typeof user.email === 'string')).toBe(true);
    expect(headers.get('cache-control')).toBe('private, no-store');
  });

  it('is a 400 naming the parameter for a bad limit or cursor', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'limit=-1', 'limit=1.5', 'limit=1&limit=2']) {
      const { status, body } = await getRest(subgraph.service, `/users?${query}`);
      expect(status, query).toBe(400);
      expect(body.error).toMatchObject({ code: 'BAD_USER_INPUT', parameter: 'limit' });
    }
    for (const cursor of ['nope', Buffer.from('v1:yesterday:3').toString('base64url')]) {
      const { status, body } = await getRest(subgraph.service, `/users?cursor=${cursor}`);
      expect(status).toBe(400);
      expect(body.error).toEqual({ code: 'BAD_USER_INPUT', parameter: 'cursor', message: '"cursor" is not a cursor returned by this API.' });
    }
  });
});
