// Random input (deterministic: a seeded generator) must never make a service answer 5xx or
// INTERNAL_SERVER_ERROR, nor fall over: mutated documents, hostile variables (to the gateway and
// straight to the subgraphs), and hostile REST paths and query strings. Each is an answer or a
// clear 4xx, and the servers are alive afterwards.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bearer, BOB } from '../../test/auth.ts';
import { postGraphQL, postRaw, type GraphQLResponse } from '../../test/graphql.ts';
import { useTestStack } from '../../test/gateway.ts';

const stack = useTestStack();

function random(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    // The high bits: an LCG's low bits repeat with a short period.
    return Math.floor((state / 4_294_967_296) * below);
  };
}

const corpus = [
  ...readdirSync('operations')
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => readFileSync(`operations/${file}`, 'utf8')),
  'mutation { placeOrder(input: { items: [{ productId: "1", quantity: 1 }] }, idempotencyKey: "fuzz-key-1") { id } }',
  'query ($first: Int, $after: String) { posts(first: $first, after: $after) { edges { cursor node { id } } } }',
];
const NOISE = [
  '{',
  '}',
  '(',
  ')',
  '...',
  '@include(if: true)',
  '$x',
  '"',
  '\\u0000',
  'fragment F on User { ...F }',
  ':',
  '!',
  '[',
  ']',
  '100000000000',
  '#',
  ' ',
  'query',
  '__schema',
  '\n',
];

function mutate(document: string, pick: (below: number) => number): string {
  let text = document;
  for (let step = 0; step < 1 + pick(4); step++) {
    const at = pick(text.length + 1);
    switch (pick(4)) {
      case 0: // delete a span
        text = text.slice(0, at) + text.slice(at + 1 + pick(12));
        break;
      case 1: // insert noise
        text = text.slice(0, at) + NOISE[pick(NOISE.length)] + text.slice(at);
        break;
      case 2: // repeat a span
        text = text.slice(0, at) + text.slice(at, at + pick(40)).repeat(1 + pick(6)) + text.slice(at);
        break;
      default: // swap the halves
        text = text.slice(at) + text.slice(0, at);
    }
  }
  return text;
}

describe('fuzzing the gateway', () => {
  it('answers 400 random mutations of real documents without a 5xx, and stays alive', async () => {
    const pick = random(20_261_124);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const query = mutate(corpus[pick(corpus.length)]!, pick);
      const variables = pick(3) === 0 ? { first: pick(200) - 50, after: 'x'.repeat(pick(10)) } : undefined;
      const body = pick(10) === 0 ? query : JSON.stringify({ query, variables });
      const { status } = await postRaw(stack.gateway.url, body);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(status, `document ${i}: ${body.slice(0, 200)}`).toBeLessThan(500);
    }
    // Most mutations break the document: the fuzzing reached the parser and the validator.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
    const alive = await postGraphQL(stack.gateway.url, '{ products(first: 1) { totalCount } }');
    expect(alive.status).toBe(200);
  });
});

type Pick = (below: number) => number;

const choose = <T>(pick: Pick, items: readonly T[]): T => items[pick(items.length)]!;
const cursorOf = (position: string) => Buffer.from(`v1:${position}`).toString('base64url');

// Values that broke, or could break, something below GraphQL's type checks: PostgreSQL's text
// (NUL) and integer (past 32 bits) limits, JavaScript's number and date ranges, lone surrogates,
// and cursors forged to hold any of them.
const CURSORS = [
  cursorOf('2026-01-01T00:00:00.000Z:2147483648'),
  cursorOf('2026-01-01T00:00:00.000Z:99999999999999999999'),
  cursorOf('-271821-04-20T00:00:00.000Z:5'),
  cursorOf('+275760-09-13T00:00:00.000Z:5'),
  cursorOf('0000-01-01T00:00:00.000Z:5'),
  cursorOf('0001-01-01T00:00:00.000Z:2147483647'),
  cursorOf('9999-12-31T23:59:59.999Z:1'),
  cursorOf('2026-01-01T00:00:00.000Z:1\u0000'),
  cursorOf('2026-13-45T99:99:99.999Z:5'),
  'djE6',
  '%00',
];
const STRINGS = [
  '',
  'x',
  '\u0000',
  'a\u0000b',
  '1\u0000',
  '\ud800',
  '\udfff\ud800',
  '💩',
  ' 1',
  '1.5',
  '1e3',
  '0',
  '-1',
  '1',
  '2147483647',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '99999999999999999999',
  'null',
  '__proto__',
  '\'; DROP TABLE "User"; --',
  'bob@example.com',
  'demo-password',
  'x'.repeat(5_000),
  ...CURSORS,
];
const INTS = [0, 1, -1, 20, 100, 101, 2_147_483_647, 2_147_483_648, -2_147_483_649, 2 ** 53 + 2, 1e308, 1.5, -0];
const WRONG = [null, true, [], {}, [[['x']]], { __proto__: { x: 1 } }, '5', 5, { a: '\u0000' }];

type Kind = 'string' | 'int' | { [field: string]: Kind } | Kind[];

/** A value for a variable of this shape: usually of the right type, sometimes not at all. */
function valueOf(kind: Kind, pick: Pick): unknown {
  if (pick(10) === 0) return choose(pick, WRONG);
  if (kind === 'string') return choose(pick, STRINGS);
  if (kind === 'int') return choose(pick, INTS);
  if (Array.isArray(kind)) return Array.from({ length: pick(4) }, () => valueOf(kind[0]!, pick));
  return Object.fromEntries(Object.entries(kind).flatMap(([field, inner]) => (pick(8) === 0 ? [] : [[field, valueOf(inner, pick)]])));
}

interface FuzzedOperation {
  query: string;
  variables: Record<string, Kind>;
  /** Sent with a signed-in user's token (queries only: no fuzzed mutation may write). */
  signedIn?: boolean;
}

const PAGE = { first: 'int', after: 'string' } as const;
const GATEWAY_OPERATIONS: FuzzedOperation[] = [
  { query: 'query ($id: ID!) { user(id: $id) { id name } post(id: $id) { id title } product(id: $id) { id stock } }', variables: { id: 'string' } },
  { query: 'query ($id: ID!) { order(id: $id) { id buyer { name } } }', variables: { id: 'string' }, signedIn: true },
  {
    query: `query ($first: Int, $after: String) { users(first: $first, after: $after) { edges { cursor node {
      posts(first: $first, after: $after) { totalCount edges { node { comments(first: $first, after: $after) { totalCount } } } }
      orders(first: $first, after: $after) { totalCount } } } } }`,
    variables: PAGE,
    signedIn: true,
  },
  {
    query: 'query ($first: Int, $after: String) { posts(first: $first, after: $after) { totalCount } products(first: $first, after: $after) { totalCount } }',
    variables: PAGE,
  },
  { query: 'query ($first: Int, $after: String) { me { orders(first: $first, after: $after) { totalCount } } }', variables: PAGE, signedIn: true },
  {
    query: 'mutation ($input: LogInInput!) { logIn(input: $input, delivery: BODY) { accessToken } }',
    variables: { input: { email: 'string', password: 'string' } },
  },
  {
    query: 'mutation ($input: SignUpInput!) { signUp(input: $input, delivery: BODY) { accessToken } }',
    variables: { input: { name: 'string', email: 'string', password: 'string' } },
  },
  { query: 'mutation ($input: CreatePostInput!) { createPost(input: $input) { id } }', variables: { input: { title: 'string', body: 'string' } } },
  { query: 'mutation ($input: AddCommentInput!) { addComment(input: $input) { id } }', variables: { input: { postId: 'string', text: 'string' } } },
  { query: 'mutation ($id: ID!) { cancelOrder(id: $id) { id } }', variables: { id: 'string' } },
  {
    query: 'mutation ($input: PlaceOrderInput!, $key: String!) { placeOrder(input: $input, idempotencyKey: $key) { id } }',
    variables: { input: { items: [{ productId: 'string', quantity: 'int' }] }, key: 'string' },
  },
];

/** Each subgraph's own fields, and `_entities`, which the gateway calls with ids from other services. */
const SUBGRAPH_OPERATIONS: Record<string, FuzzedOperation[]> = {
  users: [
    {
      query: 'query ($id: ID!, $first: Int, $after: String) { user(id: $id) { id } users(first: $first, after: $after) { totalCount } }',
      variables: { id: 'string', ...PAGE },
    },
    {
      query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name } } }',
      variables: { r: [{ __typename: 'string', id: 'string' }] },
    },
    GATEWAY_OPERATIONS[5]!,
  ],
  posts: [
    {
      query:
        'query ($id: ID!, $first: Int, $after: String) { post(id: $id) { comments(first: $first, after: $after) { totalCount } } posts(first: $first, after: $after) { totalCount } }',
      variables: { id: 'string', ...PAGE },
    },
    {
      query:
        'query ($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on User { posts(first: $first, after: $after) { totalCount } } ... on Post { title } ... on Comment { text } } }',
      variables: { r: [{ __typename: 'string', id: 'string' }], ...PAGE },
    },
    GATEWAY_OPERATIONS[7]!,
  ],
  orders: [
    {
      query: 'query ($id: ID!, $first: Int, $after: String) { product(id: $id) { id } products(first: $first, after: $after) { totalCount } }',
      variables: { id: 'string', ...PAGE },
    },
    {
      query:
        'query ($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on User { orders(first: $first, after: $after) { totalCount } } ... on Product { name } ... on Order { status } } }',
      variables: { r: [{ __typename: 'string', id: 'string' }], ...PAGE },
      signedIn: true,
    },
    GATEWAY_OPERATIONS[10]!,
  ],
};

const TYPENAMES = ['User', 'Post', 'Comment', 'Product', 'Order'];

function variablesFor(operation: FuzzedOperation, pick: Pick): Record<string, unknown> {
  const variables = Object.fromEntries(Object.entries(operation.variables).map(([name, kind]) => [name, valueOf(kind, pick)]));
  // Representations name a real type most of the time, so that the fuzzing reaches __resolveReference.
  if (Array.isArray(variables.r)) {
    variables.r = variables.r.map((representation) =>
      representation && typeof representation === 'object' && pick(4) !== 0 ? { ...representation, __typename: choose(pick, TYPENAMES) } : representation,
    );
  }
  return variables;
}

function internalErrors(body: GraphQLResponse['body'] | undefined) {
  return (body?.errors ?? []).filter((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR');
}

describe('fuzzing variables', () => {
  it('answers hostile variables at the gateway and at each subgraph without a 5xx or INTERNAL_SERVER_ERROR', async () => {
    const pick = random(20_261_201);
    const signedIn = await bearer(BOB);
    const targets = [
      ...Array.from({ length: 3 }, () => ({ url: stack.gateway.url, operations: GATEWAY_OPERATIONS })),
      ...Object.entries(SUBGRAPH_OPERATIONS).map(([name, operations]) => ({ url: stack.subgraphs[name as 'users'].url, operations })),
    ];
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 360; i++) {
      const { url, operations } = choose(pick, targets);
      const operation = choose(pick, operations);
      const variables = variablesFor(operation, pick);
      const { status, body } = await postGraphQL(url, operation.query, variables, operation.signedIn ? signedIn : {});
      const sent = `request ${i} to ${url}: ${JSON.stringify(variables).slice(0, 300)}`;
      expect(status, sent).toBeLessThan(500);
      expect(JSON.stringify(internalErrors(body)), sent).toBe('[]');
      const outcome = (body.errors?.[0]?.extensions?.code as string | undefined) ?? 'data';
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The fuzzing reached the resolvers (answers with data) as well as the checks before them.
    expect(outcomes.get('data') ?? 0).toBeGreaterThan(20);
    expect(outcomes.get('BAD_USER_INPUT') ?? 0).toBeGreaterThan(100);
  });
});

const REST_ROUTES: Record<string, string[]> = {
  users: ['/users', '/users/:id'],
  posts: ['/posts', '/posts/:id', '/posts/:id/comments', '/users/:id/posts'],
  orders: ['/products', '/products/:id', '/users/:id/orders', '/orders/:id'],
};
const PATH_IDS = [
  '1',
  '%00',
  '1%00',
  '2147483647',
  '2147483648',
  '99999999999999999999',
  '-1',
  '0',
  '01',
  '1e3',
  '%F0%9F%92%A9',
  '%ED%A0%80',
  '%ZZ',
  '%',
  '..%2F..%2Fetc',
  'x'.repeat(2_000),
  '%20',
  'null',
  '__proto__',
  '1.5',
];
const QUERY_PARTS = [
  () => 'limit=1',
  () => 'limit=0',
  () => 'limit=101',
  () => 'limit=1e2',
  () => 'limit=%00',
  () => 'limit=',
  () => 'limit=1&limit=2',
  () => 'limit[]=5',
  () => 'limit[a]=5',
  () => 'cursor=%00',
  () => 'cursor=',
  () => 'cursor[]=x',
  () => '__proto__[x]=1',
  () => '%ZZ=1',
  (pick: Pick) => `cursor=${encodeURIComponent(choose(pick, CURSORS))}`,
];

describe('fuzzing the REST endpoints', () => {
  it('answers hostile paths and query strings with JSON and no 5xx, and stays alive', async () => {
    const pick = random(20_261_202);
    const tokens = [{}, await bearer(BOB), { authorization: 'Bearer not.a.token' }, { authorization: 'Basic \u00ff' }];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const service = choose(pick, Object.keys(REST_ROUTES)) as 'users';
      let path = choose(pick, REST_ROUTES[service]!).replace(':id', () => choose(pick, PATH_IDS));
      if (pick(6) === 0) path += choose(pick, ['/', '/x', '/%00', '//']);
      const query = Array.from({ length: pick(4) }, () => choose(pick, QUERY_PARTS)(pick)).join('&');
      const url = `${new URL(stack.subgraphs[service].url).origin}${path}${query ? `?${query}` : ''}`;
      const response = await fetch(url, { headers: choose(pick, tokens) });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(response.status, url.slice(0, 300)).toBeLessThan(500);
      if (response.status === 304) continue;
      expect(response.headers.get('content-type'), url.slice(0, 300)).toMatch(/^application\/json/);
      expect(JSON.stringify(await response.json()), url.slice(0, 300)).not.toContain('INTERNAL_SERVER_ERROR');
    }
    // The fuzzing reached the parameters' checks and the handlers both.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
    expect((statuses.get(400) ?? 0) + (statuses.get(404) ?? 0)).toBeGreaterThan(100);
    for (const service of Object.values(stack.subgraphs)) {
      expect((await fetch(new URL('/health', service.url))).status).toBe(200);
    }
  });
});
