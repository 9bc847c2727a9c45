// A subgraph can be reached without the gateway, so it trusts no caller: `_entities` obeys the
// same access rules as the root fields, and the subgraph applies its own document limits. One
// table: every entity type of every subgraph, asked for directly as an anonymous caller, another
// user, its owner and an admin.
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readSubgraphSdls } from '../../schema/compose.ts';
import type { SubgraphName } from '../../subgraphs/manifest.ts';
import { ADA, BOB, CAROL, bearer } from '../../test/auth.ts';
import { useTestStack } from '../../test/gateway.ts';
import { postGraphQL, useTestDatabaseClients, type GraphQLResponse } from '../../test/graphql.ts';

const { users, posts, orders } = useTestDatabaseClients();
const stack = useTestStack();

const VIEWERS = ['anonymous', 'another user', 'owner', 'admin'] as const;
type ViewerName = (typeof VIEWERS)[number];

/** What one viewer gets: the whole entity, or a refusal of the entity (no field) or of one field. */
type Outcome = 'served' | { refused: 'UNAUTHENTICATED' | 'FORBIDDEN'; field?: string };

const SERVED_TO_ALL: Record<ViewerName, Outcome> = { anonymous: 'served', 'another user': 'served', owner: 'served', admin: 'served' };
/** The rule of `Query.order`, `User.orders` and `User.email`: the owner or an admin. */
const ownerOrAdmin = (field?: string): Record<ViewerName, Outcome> => ({
  anonymous: { refused: 'UNAUTHENTICATED', field },
  'another user': { refused: 'FORBIDDEN', field },
  owner: 'served',
  admin: 'served',
});

interface EntityCase {
  subgraph: SubgraphName;
  type: string;
  selection: string;
  /** A row of the type, its owner, and the entity as its owner reads it. */
  example: () => Promise<{ id: number; ownerId: number; entity: Record<string, unknown> }>;
  outcomes: Record<ViewerName, Outcome>;
}

/** Someone other than the owner and not an admin. */
const anotherUserThan = (ownerId: number) => (ownerId === BOB.id ? CAROL : BOB);
/** A seeded row that an ordinary user (not the admin) owns. */
const notTheAdmins = { not: ADA.id };

const ENTITY_CASES: EntityCase[] = [
  {
    subgraph: 'users',
    type: 'User',
    selection: 'id name email role createdAt',
    example: async () => {
      const user = await users.user.findUniqueOrThrow({ where: { id: BOB.id } });
      return {
        id: user.id,
        ownerId: user.id,
        entity: { id: String(user.id), name: user.name, email: user.email, role: user.role, createdAt: user.createdAt.toISOString() },
      };
    },
    outcomes: ownerOrAdmin('email'),
  },
  {
    subgraph: 'posts',
    type: 'User',
    selection: 'id posts(first: 1) { totalCount }',
    example: async () => ({
      id: BOB.id,
      ownerId: BOB.id,
      entity: { id: String(BOB.id), posts: { totalCount: await posts.post.count({ where: { authorId: BOB.id } }) } },
    }),
    outcomes: SERVED_TO_ALL,
  },
  {
    subgraph: 'posts',
    type: 'Post',
    selection: 'id title body author { id } comments(first: 1) { totalCount }',
    example: async () => {
      const post = await posts.post.findFirstOrThrow({ where: { authorId: notTheAdmins }, include: { _count: { select: { comments: true } } } });
      return {
        id: post.id,
        ownerId: post.authorId,
        entity: {
          id: String(post.id),
          title: post.title,
          body: post.body,
          author: { id: String(post.authorId) },
          comments: { totalCount: post._count.comments },
        },
      };
    },
    outcomes: SERVED_TO_ALL,
  },
  {
    subgraph: 'posts',
    type: 'Comment',
    selection: 'id text author { id } post { id }',
    example: async () => {
      const comment = await posts.comment.findFirstOrThrow({ where: { authorId: notTheAdmins } });
      return {
        id: comment.id,
        ownerId: comment.authorId,
        entity: { id: String(comment.id), text: comment.text, author: { id: String(comment.authorId) }, post: { id: String(comment.postId) } },
      };
    },
    outcomes: SERVED_TO_ALL,
  },
  {
    subgraph: 'orders',
    type: 'User',
    selection: 'id orders(first: 1) { totalCount }',
    example: async () => {
      const { buyerId } = await orders.order.findFirstOrThrow({ where: { buyerId: notTheAdmins } });
      return { id: buyerId, ownerId: buyerId, entity: { id: String(buyerId), orders: { totalCount: await orders.order.count({ where: { buyerId } }) } } };
    },
    outcomes: ownerOrAdmin('orders'),
  },
  {
    subgraph: 'orders',
    type: 'Product',
    selection: 'id name priceCents stock',
    // Nobody owns a product: "owner" and "another user" are two ordinary users.
    example: async () => {
      const product = await orders.product.findFirstOrThrow();
      return { id: product.id, ownerId: BOB.id, entity: { id: String(product.id), name: product.name, priceCents: product.priceCents, stock: product.stock } };
    },
    outcomes: SERVED_TO_ALL,
  },
  {
    subgraph: 'orders',
    type: 'Order',
    selection: 'id buyer { id } items { quantity unitPriceCents product { id } } totalCents status createdAt',
    example: async () => {
      const order = await orders.order.findFirstOrThrow({
        // Not a PENDING one, which the orders service's sweep may expire during the test.
        where: { buyerId: notTheAdmins, status: { not: 'PENDING' }, items: { some: {} } },
        include: { items: { orderBy: { id: 'asc' } } },
      });
      return {
        id: order.id,
        ownerId: order.buyerId,
        entity: {
          id: String(order.id),
          buyer: { id: String(order.buyerId) },
          items: order.items.map((item) => ({ quantity: item.quantity, unitPriceCents: item.unitPriceCents, product: { id: String(item.productId) } })),
          totalCents: order.totalCents,
          status: order.status,
          createdAt: order.createdAt.toISOString(),
        },
      };
    },
    outcomes: ownerOrAdmin(),
  },
];

async function headersOf(viewer: ViewerName, ownerId: number, scopes?: string[]): Promise<Record<string, string>> {
  switch (viewer) {
    case 'anonymous':
      return {};
    case 'another user':
      return bearer(anotherUserThan(ownerId), scopes);
    case 'owner':
      return bearer({ id: ownerId, role: 'USER' }, scopes);
    case 'admin':
      return bearer(ADA, scopes);
  }
}

function entitiesQuery(type: string, selection: string) {
  return `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${type} { ${selection} } } }`;
}

/** The response, with each error reduced to its code and path. */
function outcomeOf({ body }: GraphQLResponse) {
  return {
    data: body.data,
    errors: body.errors?.map((error) => ({ code: error.extensions?.code, path: error.path })),
  };
}

function expectedOutcome(entity: Record<string, unknown>, outcome: Outcome) {
  if (outcome === 'served') return { data: { _entities: [entity] }, errors: undefined };
  const { refused, field } = outcome;
  return field
    ? { data: { _entities: [{ ...entity, [field]: null }] }, errors: [{ code: refused, path: ['_entities', 0, field] }] }
    : { data: { _entities: [null] }, errors: [{ code: refused, path: ['_entities', 0] }] };
}

function describeOutcome(outcome: Outcome) {
  return outcome === 'served' ? 'served' : `${outcome.field ?? 'the entity'} refused with ${outcome.refused}`;
}

const anOrder = () => ENTITY_CASES.find((entityCase) => entityCase.type === 'Order')!.example();

const TABLE = ENTITY_CASES.flatMap((entityCase) =>
  VIEWERS.map((viewer) => ({ ...entityCase, viewer, outcome: entityCase.outcomes[viewer], expectation: describeOutcome(entityCase.outcomes[viewer]) })),
);

describe('_entities sent straight to a subgraph', () => {
  it.each(TABLE)('$subgraph $type as $viewer: $expectation', async ({ subgraph, type, selection, example, viewer, outcome }) => {
    const { id, ownerId, entity } = await example();
    const response = await postGraphQL(
      stack.subgraphs[subgraph].url,
      entitiesQuery(type, selection),
      { representations: [{ __typename: type, id: String(id) }] },
      await headersOf(viewer, ownerId),
    );
    expect(response.status).toBe(200);
    expect(outcomeOf(response)).toEqual(expectedOutcome(entity, outcome));
  });

  it('covers every entity type of every subgraph', () => {
    const entityTypes = readSubgraphSdls().flatMap(({ name, sdl }) =>
      parse(sdl)
        .definitions.filter(
          (definition): definition is ObjectTypeDefinitionNode =>
            definition.kind === Kind.OBJECT_TYPE_DEFINITION && !!definition.directives?.some((directive) => directive.name.value === 'key'),
        )
        .map((type) => `${name} ${type.name.value}`),
    );
    expect(ENTITY_CASES.map(({ subgraph, type }) => `${subgraph} ${type}`).sort()).toEqual(entityTypes.sort());
  });

  it('refuses an order to its owner whose token lacks orders:read, as Query.order does', async () => {
    const { id, ownerId } = await anOrder();
    const headers = await headersOf('owner', ownerId, ['orders:write']);
    const byEntity = await postGraphQL(
      stack.subgraphs.orders.url,
      entitiesQuery('Order', 'id'),
      { representations: [{ __typename: 'Order', id: String(id) }] },
      headers,
    );
    expect(outcomeOf(byEntity)).toEqual({ data: { _entities: [null] }, errors: [{ code: 'FORBIDDEN', path: ['_entities', 0] }] });
    const byRootField = await postGraphQL(stack.subgraphs.orders.url, 'query ($id: ID!) { order(id: $id) { id } }', { id: String(id) }, headers);
    expect(outcomeOf(byRootField)).toEqual({ data: { order: null }, errors: [{ code: 'FORBIDDEN', path: ['order'] }] });
  });

  it('tells an anonymous caller nothing about which orders exist', async () => {
    const { id } = await anOrder();
    const { body } = await postGraphQL(stack.subgraphs.orders.url, entitiesQuery('Order', 'id'), {
      representations: [
        { __typename: 'Order', id: String(id) },
        { __typename: 'Order', id: '99999999' },
      ],
    });
    expect(body.data).toEqual({ _entities: [null, null] });
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  });

  it('still serves an order and its buyer through the gateway to the owner and to an admin', async () => {
    const { id, ownerId, entity } = await anOrder();
    const buyer = await users.user.findUniqueOrThrow({ where: { id: ownerId } });
    for (const viewer of ['owner', 'admin'] as const) {
      const { body } = await postGraphQL(
        stack.gateway.url,
        'query ($id: ID!) { order(id: $id) { id totalCents buyer { name email orders(first: 1) { totalCount } } } }',
        { id: String(id) },
        await headersOf(viewer, ownerId),
      );
      expect(body.errors).toBeUndefined();
      expect(body.data!.order).toEqual({
        id: String(id),
        totalCents: entity.totalCents,
        buyer: { name: buyer.name, email: buyer.email, orders: { totalCount: await orders.order.count({ where: { buyerId: ownerId } }) } },
      });
    }
  });
});

describe('document limits at a subgraph reached directly', () => {
  /** `post { comments { … } }` repeated: each pair is two levels below `posts`. */
  const postsQueryOfDepth = (depth: number) => {
    let selection = 'id';
    for (let level = depth - 1; level > 0; level--) {
      selection = level % 2 === 1 ? `comments(first: 1) { edges { node { ${selection} } } }` : `post { ${selection} }`;
    }
    return `{ posts(first: 1) { edges { node { ${selection} } } } }`;
  };
  const code = ({ body }: GraphQLResponse) => body.errors?.[0]?.extensions?.code;

  it('refuses a document deeper than the gateway allows, with one level for _entities', async () => {
    const deepest = await postGraphQL(stack.subgraphs.posts.url, postsQueryOfDepth(6));
    expect(deepest.status).toBe(200);
    expect(deepest.body.errors).toBeUndefined();
    const tooDeep = await postGraphQL(stack.subgraphs.posts.url, postsQueryOfDepth(7));
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors![0]).toMatchObject({
      message: 'Query too deep: its depth is 7, the limit is 6.',
      extensions: { code: 'QUERY_TOO_DEEP', depth: 7, maxDepth: 6 },
    });
  });

  it('refuses more aliases than twice the gateway allows', async () => {
    const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: products(first: 1) { totalCount }`).join(' ')} }`;
    expect((await postGraphQL(stack.subgraphs.orders.url, aliases(30))).status).toBe(200);
    const tooMany = await postGraphQL(stack.subgraphs.orders.url, aliases(31));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', aliases: 31, maxAliases: 30 });
  });

  it('refuses more directives than twice the gateway allows', async () => {
    const { status, body } = await postGraphQL(stack.subgraphs.orders.url, `{ products(first: 1) { ${'totalCount @include(if: true) '.repeat(101)} } }`);
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_DIRECTIVES', directives: 101, maxDirectives: 100 });
  });

  it('refuses a document of more than twice the gateway’s tokens while parsing it', async () => {
    const { status, body } = await postGraphQL(stack.subgraphs.users.url, `{ users(first: 1) { ${'totalCount '.repeat(4_100)} } }`);
    expect(status).toBe(400);
    expect(code({ status, body, contentType: null })).toBe('GRAPHQL_PARSE_FAILED');
    expect(body.errors![0]!.message).toContain('4000 tokens');
  });

  it('refuses a fragment bomb by its expanded size', async () => {
    const fragments = Array.from({ length: 20 }, (_, i) => `fragment F${i} on Product { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const response = await postGraphQL(stack.subgraphs.orders.url, `{ product(id: "1") { ...F0 } } ${fragments} fragment F20 on Product { name }`);
    expect(response.status).toBe(400);
    expect(code(response)).toBe('QUERY_TOO_COMPLEX');
  });

  it('passes what the gateway plans for a query at the gateway’s limits: depth 5, 15 aliases, one fragment spread 15 times', async () => {
    const fragment = `fragment P on Post { id title body createdAt author { id name role posts(first: 1) { totalCount } }
      comments(first: 1) { totalCount edges { cursor node { id text author { id name role } post { id title } } } } }`;
    const aliases = Array.from({ length: 15 }, (_, i) => `a${i}: posts(first: ${i + 1}) { edges { node { ...P } } }`).join(' ');
    const deep =
      'users(first: 1) { edges { node { posts(first: 1) { edges { node { comments(first: 1) { edges { node { post { author { name } } } } } } } } } } }';
    const { status, body } = await postGraphQL(stack.gateway.url, `{ ${aliases} ${deep} } ${fragment}`, {}, await bearer(ADA));
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data!.a14.edges).toHaveLength(15);
  });
});
