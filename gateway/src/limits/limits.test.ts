import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from './cost.ts';
import { measureOperation, variableNestedDeeperThan } from '#lib/service/document-shape.ts';
import { callerAddress, memoryRateLimiter, rateLimitClient } from './rate-limiter.ts';
import { DEFAULT_LIMITS, limitSettingsFromEnv } from './settings.ts';

const schema = buildSchema(`
  type Query { users(first: Int = 20, after: String): UserConnection! me: User }
  type UserConnection { edges: [UserEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type UserEdge { cursor: String! node: User! }
  type PageInfo { hasNextPage: Boolean! }
  type User { name: String! posts(first: Int = 20): PostConnection! tags: [Tag!]! }
  type Tag { label: String! }
  type PostConnection { edges: [PostEdge!]! totalCount: Int! }
  type PostEdge { node: Post! }
  type Post { title: String! author: User! }
`);

describe('measureOperation', () => {
  it('does not count Relay edges and node as levels, but measures what is under them', () => {
    const shape = measureOperation(parse('{ users { edges { node { posts { edges { node { author { name } } } } } } } }'));
    expect(shape.depth).toBe(3);
  });

  it('counts depth through fragments and inline fragments', () => {
    const document = parse(`
      query { me { ...Deep } }
      fragment Deep on User { posts { edges { node { ... on Post { author { name } } } } } }`);
    expect(measureOperation(document).depth).toBe(3);
  });

  it('counts aliases and directives, including those in fragments, once per use', () => {
    const document = parse(`
      query Q @skip(if: false) { a: me { name @include(if: true) } b: me { ...F } c: me { ...F } }
      fragment F on User { n: name @skip(if: false) }`);
    expect(measureOperation(document, 'Q')).toMatchObject({ aliases: 5, directives: 4 });
  });

  it('measures a fragment bomb without expanding it, and reports its expanded size', () => {
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on User { ...F${i + 1} ...F${i + 1} }`).join('\n');
    const document = parse(`{ me { ...F0 } }\n${fragments}\nfragment F30 on User { name }`);
    expect(measureOperation(document).fields).toBe(1 + 2 ** 30);
  });

  it('leaves introspection out of the depth (the gateway answers it; graphql-js bounds its nesting), not out of the counts', () => {
    const document = parse(`
      query Q { me { name } ...Schema t: __type(name: "User") { fields { type { ofType { ofType { ofType { name } } } } } } }
      fragment Schema on Query { __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }`);
    expect(measureOperation(document, 'Q')).toMatchObject({ depth: 1, aliases: 1, fields: 2 + 7 + 9 });
    expect(measureOperation(parse(getIntrospectionQuery())).depth).toBe(0);
  });

  it('survives a fragment cycle (validation rejects it anyway)', () => {
    const document = parse('{ me { ...A } } fragment A on User { name ...B } fragment B on User { ...A }');
    expect(measureOperation(document)).toMatchObject({ depth: 1, fields: 2 });
  });
});

describe('operationCost', () => {
  const cost = (query: string, variables?: Record<string, unknown>) => operationCost(schema, parse(query), variables, undefined).cost;

  it('multiplies a connection by its first, passes through edges and node, ignores scalars', () => {
    expect(cost('{ users(first: 100) { edges { node { posts(first: 5) { edges { node { author { name } } } } } } } }')).toBe(1 + 100 * (1 + 5 * 1));
  });

  it('uses the default page size when first is absent, and variables when given', () => {
    expect(cost('{ users { totalCount } }')).toBe(1);
    expect(cost('{ users { edges { node { name } } } }')).toBe(1);
    expect(cost('query ($n: Int) { users(first: $n) { edges { node { tags { label } } } } }', { n: 3 })).toBe(1 + 3 * (1 + 10 * 0));
  });

  it('turns a variable that does not coerce into BAD_USER_INPUT', () => {
    expect(() => cost('query ($n: Int) { users(first: $n) { totalCount } }', { n: 'x' })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});

describe('variableNestedDeeperThan', () => {
  it('names the first variable whose lists and objects nest deeper than the limit', () => {
    const nested = (levels: number): unknown => (levels === 0 ? 'leaf' : [nested(levels - 1)]);
    expect(variableNestedDeeperThan(3, { a: 'flat', b: nested(3), c: { d: [{}] } })).toBeUndefined();
    expect(variableNestedDeeperThan(3, { a: nested(3), b: { c: [{ d: null }] }, e: nested(4) })).toBe('e');
    expect(variableNestedDeeperThan(3, undefined)).toBeUndefined();
  });

  it('measures 40,000 levels without recursion', () => {
    const deep = JSON.parse(`${'['.repeat(40_000)}${']'.repeat(40_000)}`);
    expect(variableNestedDeeperThan(32, { deep })).toBe('deep');
  });
});

describe('rateLimitClient', () => {
  it('keeps a signed-in user to their own budget, wherever they call from', () => {
    expect(rateLimitClient({ id: 7, role: 'USER', scopes: [] }, '203.0.113.9')).toBe('user:7');
  });

  it('gives an IPv6 /64 one budget, and an IPv4-mapped address its IPv4 one', () => {
    expect(rateLimitClient(null, '2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('ip:2001:db8:1:2::/64');
    expect(callerAddress('2001:db8:1:2::1')).toBe(callerAddress('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'));
    expect(callerAddress('2001:db8:1:3::1')).not.toBe(callerAddress('2001:db8:1:2::1'));
    expect(callerAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(callerAddress('203.0.113.9')).toBe('203.0.113.9');
    expect(callerAddress('unknown')).toBe('unknown');
  });
});

describe('memoryRateLimiter', () => {
  it('lets a client spend its capacity, then refuses with the wait until it can pay', async () => {
    let now = 0;
    const limiter = memoryRateLimiter({ capacity: 10, refillPerSecond: 2 }, () => now);
    expect(await limiter.consume('a', 6)).toMatchObject({ allowed: true, remaining: 4 });
    expect(await limiter.consume('a', 6)).toMatchObject({ allowed: false, remaining: 4, retryAfterSeconds: 1 });
    expect((await limiter.consume('b', 6)).allowed).toBe(true);
    now = 1_000;
    expect(await limiter.consume('a', 6)).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 5 });
  });

  it('charges a request dearer than the whole bucket the whole bucket', async () => {
    const limiter = memoryRateLimiter({ capacity: 10, refillPerSecond: 1 }, () => 0);
    expect(await limiter.consume('a', 50)).toMatchObject({ allowed: true, remaining: 0 });
  });
});

describe('limitSettingsFromEnv', () => {
  it('has documented defaults and reads each variable', () => {
    expect(limitSettingsFromEnv({})).toEqual(DEFAULT_LIMITS);
    expect(limitSettingsFromEnv({ MAX_QUERY_DEPTH: '8', RATE_LIMIT: 'off' })).toMatchObject({ maxDepth: 8, rateLimit: false });
    expect(limitSettingsFromEnv({ RATE_LIMIT_CAPACITY: '50' }).rateLimit).toEqual({ capacity: 50, refillPerSecond: 1_000 });
    expect(limitSettingsFromEnv({ RATE_LIMIT_KEY_PREFIX: 'shop-eu:ratelimit:' }).rateLimitKeyPrefix).toBe('shop-eu:ratelimit:');
  });

  it('refuses values that are not positive integers, naming the variable', () => {
    expect(() => limitSettingsFromEnv({ MAX_QUERY_COST: 'lots' })).toThrow(/MAX_QUERY_COST/);
    expect(() => limitSettingsFromEnv({ RATE_LIMIT: 'maybe' })).toThrow(/RATE_LIMIT/);
    expect(() => limitSettingsFromEnv({ RATE_LIMIT_KEY_PREFIX: 'two words' })).toThrow(/RATE_LIMIT_KEY_PREFIX must be 1 to 100 printable/);
  });
});
