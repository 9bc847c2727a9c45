// Accounts and sessions against the users subgraph: sign-up and sign-in, refresh-token rotation
// and reuse detection, log-out, the HttpOnly cookie, and the published keys.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { postGraphQL, postRaw, useTestSubgraph } from '../../test/graphql.ts';
import { connectUsersDatabase } from './src/db.ts';
import { JWKS_PATH, usersSubgraph } from './src/subgraph.ts';

const subgraph = useTestSubgraph('users', usersSubgraph, connectUsersDatabase);
const { db } = subgraph;

const SESSION = 'accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id email role }';
const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input, delivery: BODY) { ${SESSION} } }`;
const LOG_IN = `mutation ($input: LogInInput!, $delivery: TokenDelivery) { logIn(input: $input, delivery: $delivery) { ${SESSION} } }`;
const REFRESH = `mutation ($token: String) { refreshToken(refreshToken: $token) { ${SESSION} } }`;

const uniqueEmail = () => `user-${randomUUID()}@Example.com`;

async function logIn(email: string, password: string) {
  const { body } = await postGraphQL(subgraph.service.url, LOG_IN, { input: { email, password }, delivery: 'BODY' });
  return body;
}

async function refresh(token: string) {
  return (await postGraphQL(subgraph.service.url, REFRESH, { token })).body;
}

const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => body.errors?.map((error) => error.extensions?.code);

describe('signUp', () => {
  it('creates the account, stores only an argon2id hash, and signs it in', async () => {
    const email = uniqueEmail();
    const { body } = await postGraphQL(subgraph.service.url, SIGN_UP, { input: { name: 'Dana', email, password: 'correct horse' } });
    expect(body.errors).toBeUndefined();
    const session = body.data!.signUp;
    expect(session.user).toMatchObject({ email: email.toLowerCase(), role: 'USER' });
    const stored = await db.user.findUniqueOrThrow({ where: { email: email.toLowerCase() } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain('correct horse');
    const me = await postGraphQL(subgraph.service.url, '{ me { email } }', {}, { authorization: `Bearer ${session.accessToken}` });
    expect(me.body.data).toEqual({ me: { email: email.toLowerCase() } });
  });

  it('reports every invalid field at once', async () => {
    const { body } = await postGraphQL(subgraph.service.url, SIGN_UP, { input: { name: ' ', email: 'not-an-email', password: 'short' } });
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors![0]!.extensions!.fieldErrors).toEqual([
      { field: 'input.name', message: 'must not be empty' },
      { field: 'input.email', message: 'must be an email address' },
      { field: 'input.password', message: 'must be at least 8 characters' },
    ]);
  });

  it('refuses an email that already has an account, whatever its case', async () => {
    const { body } = await postGraphQL(subgraph.service.url, SIGN_UP, { input: { name: 'Bob 2', email: 'BOB@example.com', password: 'long enough' } });
    expect(body.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'input.email', message: 'already belongs to an account' }],
    });
  });
});

describe('logIn', () => {
  it('signs in a demo account with a 15-minute access token', async () => {
    const body = await logIn('bob@example.com', 'demo-password');
    const session = body.data!.logIn;
    expect(session.user).toEqual({ id: '2', email: 'bob@example.com', role: 'USER' });
    const lifetime = Date.parse(session.accessTokenExpiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(14 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(15 * 60_000);
    const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: '2', role: 'USER', scope: 'posts:write orders:read orders:write' });
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'role', 'scope', 'sub']);
  });

  it('gives the same error for a wrong password and an unknown email', async () => {
    const wrongPassword = await logIn('bob@example.com', 'not the password');
    const unknownEmail = await logIn('nobody@example.com', 'demo-password');
    expect(wrongPassword.errors![0]!.message).toBe('The email or password is not right.');
    expect(wrongPassword.errors).toEqual(unknownEmail.errors);
    expect(codes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('refresh tokens', () => {
  it('rotate on every use and are stored hashed', async () => {
    const first = (await logIn('carol@example.com', 'demo-password')).data!.logIn;
    const second = (await refresh(first.refreshToken)).data!.refreshToken;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.user.id).toBe(first.user.id);
    expect(await db.refreshToken.count({ where: { tokenHash: first.refreshToken } })).toBe(0);
  });

  it('revoke the whole family when a rotated token is used again', async () => {
    const first = (await logIn('carol@example.com', 'demo-password')).data!.logIn;
    const second = (await refresh(first.refreshToken)).data!.refreshToken;
    const replay = await refresh(first.refreshToken);
    expect(codes(replay)).toEqual(['UNAUTHENTICATED']);
    expect(replay.errors![0]!.message).toContain('already used');
    // The thief's replay also signs out the legitimate holder of the newest token.
    expect(codes(await refresh(second.refreshToken))).toEqual(['UNAUTHENTICATED']);
  });

  it('let only one of two simultaneous uses of a token through', async () => {
    const { refreshToken } = (await logIn('carol@example.com', 'demo-password')).data!.logIn;
    const results = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
    expect(results.filter((result) => result.data?.refreshToken).length).toBe(1);
  });

  it('stop working after logOut', async () => {
    const { refreshToken } = (await logIn('carol@example.com', 'demo-password')).data!.logIn;
    const out = await postGraphQL(subgraph.service.url, 'mutation ($token: String) { logOut(refreshToken: $token) }', { token: refreshToken });
    expect(out.body).toEqual({ data: { logOut: true } });
    expect(codes(await refresh(refreshToken))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuse unknown and expired tokens', async () => {
    expect(codes(await refresh('made-up'))).toEqual(['UNAUTHENTICATED']);
    const { refreshToken } = (await logIn('carol@example.com', 'demo-password')).data!.logIn;
    await db.refreshToken.updateMany({ where: { rotatedAt: null, revokedAt: null, userId: 3 }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(codes(await refresh(refreshToken))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the refresh-token cookie', () => {
  it('carries the refresh token for browsers: HttpOnly, SameSite=Strict, never in the body', async () => {
    const response = await fetch(subgraph.service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOG_IN, variables: { input: { email: 'bob@example.com', password: 'demo-password' } } }),
    });
    const body = (await response.json()) as { data: { logIn: { refreshToken: string | null } } };
    expect(body.data.logIn.refreshToken).toBeNull();
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^refresh_token=[\w-]{43}; Path=\/graphql; Expires=.+; HttpOnly; SameSite=Strict$/);

    const refreshed = await postRaw(subgraph.service.url, JSON.stringify({ query: REFRESH }), { cookie: cookie.split(';')[0]! });
    expect(refreshed.body.data!.refreshToken.refreshToken).toBeNull();
    expect(refreshed.body.data!.refreshToken.user.id).toBe('2');
  });

  it('is required when no token is passed', async () => {
    const { body } = await postGraphQL(subgraph.service.url, REFRESH);
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the published keys', () => {
  it('are a JWKS of public Ed25519 keys', async () => {
    const response = await fetch(new URL(JWKS_PATH, subgraph.service.url));
    const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(key.kid).toBeTruthy();
      expect(key.d).toBeUndefined();
    }
  });
});
