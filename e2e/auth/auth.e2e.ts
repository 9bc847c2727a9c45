// Authentication and authorization through the gateway: every kind of bad token is refused
// with 401 (by the gateway, and by a subgraph reached directly), and each access rule holds
// both ways, with null for the refused field and the rest of the data intact.
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { authSettingsFromEnv } from '#lib/service/auth.ts';
import { loadSigningKeys } from '../../subgraphs/users/src/signing-keys.ts';
import { ADA, BOB, CAROL, bearer } from '../../test/auth.ts';
import { postGraphQL, testDatabaseUrls } from '../../test/graphql.ts';
import { useTestStack } from '../../test/gateway.ts';
import { connectOrdersDatabase } from '../../subgraphs/orders/src/db.ts';

const stack = useTestStack();
const orders = connectOrdersDatabase(testDatabaseUrls().orders);
const settings = authSettingsFromEnv();
const keys = loadSigningKeys();

afterAll(async () => {
  await orders.$disconnect();
});

const now = () => Math.floor(Date.now() / 1000);

/** A token like the users service's, with `change` applied before signing. */
function forged(change: (jwt: SignJWT) => SignJWT = (jwt) => jwt, alg = 'EdDSA') {
  const jwt = new SignJWT({ role: 'ADMIN', scope: 'posts:write orders:read orders:write admin' })
    .setProtectedHeader({ alg, kid: keys.current.kid })
    .setSubject('1')
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti('test');
  return change(jwt);
}

const hmacWithPublicKey = async () => {
  // Algorithm confusion: the public key (which anyone can fetch) used as an HMAC secret.
  const publicKey = new TextEncoder().encode(JSON.stringify(keys.jwks.keys[0]));
  return new SignJWT({ role: 'ADMIN', scope: 'admin' })
    .setProtectedHeader({ alg: 'HS256', kid: keys.current.kid })
    .setSubject('1')
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti('x')
    .sign(publicKey);
};

const ATTACKS: [string, () => Promise<string>][] = [
  [
    'alg: none',
    async () =>
      new UnsecuredJWT({ role: 'ADMIN', scope: 'admin' })
        .setSubject('1')
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .encode(),
  ],
  ['HS256 keyed with the public key', hmacWithPublicKey],
  ['RS256 from a key of its own', async () => forged(undefined, 'RS256').sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
  ['an EdDSA key that is not published', async () => forged().sign(generateKeyPairSync('ed25519').privateKey)],
  ['expired', async () => forged((jwt) => jwt.setIssuedAt(now() - 3600).setExpirationTime(now() - 60)).sign(keys.current.key)],
  ['not valid yet', async () => forged((jwt) => jwt.setNotBefore(now() + 3600)).sign(keys.current.key)],
  ['wrong issuer', async () => forged((jwt) => jwt.setIssuer('https://evil.example')).sign(keys.current.key)],
  ['wrong audience', async () => forged((jwt) => jwt.setAudience('another-api')).sign(keys.current.key)],
  [
    'tampered payload',
    async () => {
      const token = await forged().sign(keys.current.key);
      const [header, , signature] = token.split('.');
      const payload = Buffer.from(
        JSON.stringify({ sub: '2', role: 'ADMIN', scope: 'admin', iss: settings.issuer, aud: settings.audience, iat: now(), exp: now() + 300, jti: 'y' }),
      ).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
  ],
  [
    'a token missing its claims',
    async () =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA', kid: keys.current.kid })
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setExpirationTime('5m')
        .sign(keys.current.key),
  ],
];

describe('bad tokens', () => {
  it.each(ATTACKS)('refuses %s with 401 UNAUTHENTICATED at the gateway and at a subgraph', async (_, makeToken) => {
    const headers = { authorization: `Bearer ${await makeToken()}` };
    for (const url of [stack.gateway.url, stack.subgraphs.posts.url]) {
      const { status, body } = await postGraphQL(url, '{ me { id } posts(first: 1) { totalCount } }', {}, headers);
      expect(status).toBe(401);
      expect(body.data).toBeUndefined();
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it.each(['Bearer', 'Bearer not-a-jwt', 'Basic YWRhOmRlbW8=', `Bearer ${'a'.repeat(20)}.b.c d`])(
    'refuses the header %j instead of treating the request as anonymous',
    async (authorization) => {
      const { status } = await postGraphQL(stack.gateway.url, '{ me { id } }', {}, { authorization });
      expect(status).toBe(401);
    },
  );

  it('accepts the real thing', async () => {
    const { status, body } = await postGraphQL(stack.gateway.url, '{ me { id role } }', {}, await bearer(ADA));
    expect(status).toBe(200);
    expect(body.data).toEqual({ me: { id: '1', role: 'ADMIN' } });
  });
});

function codeAt(body: { errors?: { path?: (string | number)[]; extensions?: Record<string, unknown> }[] }, path: string) {
  return body.errors?.find((error) => error.path?.join('.') === path)?.extensions?.code;
}

describe('User.email: the user themself or an admin', () => {
  const query = '{ user(id: "1") { name email } }';

  it('is UNAUTHENTICATED for an anonymous request, and the name is still there', async () => {
    const { body } = await postGraphQL(stack.gateway.url, query);
    expect(body.data).toEqual({ user: { name: 'Ada Admin', email: null } });
    expect(codeAt(body, 'user.email')).toBe('UNAUTHENTICATED');
  });

  it('is FORBIDDEN to another user', async () => {
    const { body } = await postGraphQL(stack.gateway.url, query, {}, await bearer(BOB));
    expect(body.data).toEqual({ user: { name: 'Ada Admin', email: null } });
    expect(codeAt(body, 'user.email')).toBe('FORBIDDEN');
  });

  it('is readable by the user and by an admin', async () => {
    const own = await postGraphQL(stack.gateway.url, '{ me { email } }', {}, await bearer(BOB));
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data).toEqual({ me: { email: 'bob@example.com' } });
    const admin = await postGraphQL(stack.gateway.url, '{ user(id: "2") { email } }', {}, await bearer(ADA));
    expect(admin.body.errors).toBeUndefined();
    expect(admin.body.data).toEqual({ user: { email: 'bob@example.com' } });
  });
});

describe('identical queries of different users at once', () => {
  it('each get their own answer: the gateway shares a subgraph fetch only between callers with the same credentials', async () => {
    const query = '{ user(id: "1") { name email } }';
    const callers = [await bearer(ADA), await bearer(BOB), {}];
    // The same subgraph fetch for all three, 30 at once: the in-flight dedupe keys by the token.
    const answers = await Promise.all(Array.from({ length: 30 }, (_, index) => postGraphQL(stack.gateway.url, query, {}, callers[index % 3])));
    answers.forEach(({ body }, index) => {
      const caller = index % 3;
      expect(body.data).toEqual({ user: { name: 'Ada Admin', email: caller === 0 ? 'ada@example.com' : null } });
      expect(codeAt(body, 'user.email')).toBe([undefined, 'FORBIDDEN', 'UNAUTHENTICATED'][caller]);
    });
  });
});

describe('orders: their buyer or an admin', () => {
  const userOrders = '{ user(id: "2") { name orders(first: 1) { totalCount } } }';

  it('User.orders is UNAUTHENTICATED anonymously and FORBIDDEN to another user, with the rest intact', async () => {
    const anonymous = await postGraphQL(stack.gateway.url, userOrders);
    expect(anonymous.body.data).toEqual({ user: { name: 'Bob Buyer', orders: null } });
    expect(codeAt(anonymous.body, 'user.orders')).toBe('UNAUTHENTICATED');
    const other = await postGraphQL(stack.gateway.url, userOrders, {}, await bearer(CAROL));
    expect(other.body.data).toEqual({ user: { name: 'Bob Buyer', orders: null } });
    expect(codeAt(other.body, 'user.orders')).toBe('FORBIDDEN');
  });

  it('User.orders is readable by its user and by an admin', async () => {
    const count = await orders.order.count({ where: { buyerId: 2 } });
    for (const viewer of [BOB, ADA]) {
      const { body } = await postGraphQL(stack.gateway.url, userOrders, {}, await bearer(viewer));
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({ user: { name: 'Bob Buyer', orders: { totalCount: count } } });
    }
  });

  it('needs the orders:read scope even for the owner', async () => {
    const { body } = await postGraphQL(stack.gateway.url, userOrders, {}, await bearer(BOB, ['posts:write']));
    expect(codeAt(body, 'user.orders')).toBe('FORBIDDEN');
    expect(body.errors![0]!.message).toContain('orders:read');
  });

  it('Query.order is FORBIDDEN to anyone but its buyer and admins', async () => {
    const order = await orders.order.findFirstOrThrow({ where: { buyerId: 2 } });
    const query = `{ order(id: "${order.id}") { id buyer { id } } products(first: 1) { totalCount } }`;
    const other = await postGraphQL(stack.gateway.url, query, {}, await bearer(CAROL));
    expect(other.body.data!.order).toBeNull();
    expect(other.body.data!.products.totalCount).toBeGreaterThan(0);
    expect(codeAt(other.body, 'order')).toBe('FORBIDDEN');
    for (const viewer of [BOB, ADA]) {
      const { body } = await postGraphQL(stack.gateway.url, query, {}, await bearer(viewer));
      expect(body.data!.order).toEqual({ id: String(order.id), buyer: { id: '2' } });
    }
  });
});

describe('mutations need a signed-in user with the scope', () => {
  const createPost = 'mutation { createPost(input: { title: "Hello", body: "World" }) { id author { id } } }';

  it('is UNAUTHENTICATED anonymously and FORBIDDEN without the scope', async () => {
    const anonymous = await postGraphQL(stack.gateway.url, createPost);
    expect(codeAt(anonymous.body, 'createPost')).toBe('UNAUTHENTICATED');
    const unscoped = await postGraphQL(stack.gateway.url, createPost, {}, await bearer(BOB, ['orders:read']));
    expect(codeAt(unscoped.body, 'createPost')).toBe('FORBIDDEN');
  });

  it('writes as the token user', async () => {
    const { body } = await postGraphQL(stack.gateway.url, createPost, {}, await bearer(CAROL));
    expect(body.errors).toBeUndefined();
    expect(body.data!.createPost.author).toEqual({ id: '3' });
  });
});
