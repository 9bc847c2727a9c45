// placeOrder and cancelOrder against the orders subgraph over HTTP: who may call them, input
// validation, stock taken all or nothing and never oversold, idempotent retries, and who may read
// an order. Each test makes its own products, so their stock is known whatever else runs.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role } from '#lib/service/auth.ts';
import { ADA, BOB, CAROL, bearer } from '../../test/auth.ts';
import { postGraphQL, useTestSubgraph, type GraphQLResponse } from '../../test/graphql.ts';
import { connectOrdersDatabase } from './src/db.ts';
import { ordersSubgraph } from './src/subgraph.ts';

const subgraph = useTestSubgraph('orders', ordersSubgraph, connectOrdersDatabase);
const { db } = subgraph;

interface TestUser {
  id: number;
  role: Role;
}
type Body = GraphQLResponse<Record<string, any>>['body'];
interface Product {
  id: number;
  priceCents: number;
}
interface Line {
  productId: string;
  quantity: number;
}

const ORDER = 'id status totalCents buyer { id } items { quantity unitPriceCents product { id } }';
const PLACE_ORDER = `mutation ($input: PlaceOrderInput!, $key: String!) { placeOrder(input: $input, idempotencyKey: $key) { ${ORDER} } }`;
const CANCEL_ORDER = `mutation ($id: ID!) { cancelOrder(id: $id) { id status } }`;

/** A user of its own for each call: orders of different people that must not share anything. */
let nextShopperId = 700_000;
const newShopper = (): TestUser => ({ id: nextShopperId++, role: 'USER' });
const newKey = () => `order-${randomUUID()}`;

const newProduct = (stock: number, priceCents = 1_250) => db.product.create({ data: { name: `Test product ${randomUUID()}`, priceCents, stock } });
const line = (product: Product, quantity: number): Line => ({ productId: String(product.id), quantity });
const stockOf = async (product: Product) => (await db.product.findUniqueOrThrow({ where: { id: product.id } })).stock;
const ordersOf = (product: Product) => db.order.count({ where: { items: { some: { productId: product.id } } } });

const codes = (body: Body) => body.errors?.map((error) => error.extensions?.code);

async function send(user: TestUser | null, query: string, variables: Record<string, unknown>, scopes?: string[]): Promise<Body> {
  const headers = user ? await bearer(user, scopes) : {};
  return (await postGraphQL(subgraph.service.url, query, variables, headers)).body;
}

const placeOrder = (user: TestUser | null, items: Line[], key = newKey(), scopes?: string[]) => send(user, PLACE_ORDER, { input: { items }, key }, scopes);
const cancelOrder = (user: TestUser, id: string) => send(user, CANCEL_ORDER, { id });

/** Places an order that must succeed and gives its id. */
async function placedOrder(user: TestUser, items: Line[]): Promise<string> {
  const body = await placeOrder(user, items);
  expect(body.errors).toBeUndefined();
  return body.data!.placeOrder.id;
}

describe('placeOrder', () => {
  it("records the items at the products' prices, totals them and takes the stock, for the token's user", async () => {
    const [pen, ink] = [await newProduct(10, 1_250), await newProduct(4, 399)];
    const key = newKey();
    const body = await placeOrder(BOB, [line(pen, 3), line(ink, 2)], key);
    expect(body.errors).toBeUndefined();
    const order = body.data!.placeOrder;
    expect(order).toEqual({
      id: expect.any(String),
      status: 'PENDING',
      totalCents: 3 * 1_250 + 2 * 399,
      buyer: { id: String(BOB.id) },
      items: [
        { quantity: 3, unitPriceCents: 1_250, product: { id: String(pen.id) } },
        { quantity: 2, unitPriceCents: 399, product: { id: String(ink.id) } },
      ],
    });
    expect([await stockOf(pen), await stockOf(ink)]).toEqual([7, 2]);
    const stored = await db.order.findUniqueOrThrow({ where: { id: Number(order.id) } });
    expect(stored).toMatchObject({ buyerId: BOB.id, idempotencyKey: key, totalCents: 3 * 1_250 + 2 * 399 });
  });

  it.each([
    { caller: 'an anonymous caller', user: null, scopes: undefined, code: 'UNAUTHENTICATED' },
    { caller: 'a token without orders:write', user: BOB, scopes: ['orders:read'], code: 'FORBIDDEN' },
  ])('refuses $caller with $code and takes nothing', async ({ user, scopes, code }) => {
    const product = await newProduct(5);
    const body = await placeOrder(user, [line(product, 1)], newKey(), scopes);
    expect(codes(body)).toEqual([code]);
    expect(body.data).toBeNull();
    expect(await stockOf(product)).toBe(5);
    expect(await ordersOf(product)).toBe(0);
  });
});

describe('placeOrder validation', () => {
  const NOT_A_PRODUCT = 'is not the id of a product';
  it.each([
    { problem: 'no lines', items: () => [], field: 'input.items', message: 'must have at least one line' },
    { problem: 'a quantity of 0', items: (p: Product) => [line(p, 0)], field: 'input.items.0.quantity', message: 'must be at least 1' },
    {
      problem: 'a quantity of 1,001',
      items: (p: Product) => [line(p, 1_001)],
      field: 'input.items.0.quantity',
      message: 'must be at most 1,000',
    },
    {
      problem: 'the same product twice',
      items: (p: Product) => [line(p, 1), line(p, 2)],
      field: 'input.items.1.productId',
      message: 'appears twice; add the quantities',
    },
    {
      problem: 'a product id that is not an id',
      items: (p: Product) => [line(p, 1), { productId: 'abc', quantity: 1 }],
      field: 'input.items.1.productId',
      message: NOT_A_PRODUCT,
    },
    {
      // Found only inside the transaction, after the first line's stock was taken: that must roll back.
      problem: 'a product that does not exist',
      items: (p: Product) => [line(p, 1), { productId: '999999', quantity: 1 }],
      field: 'input.items.1.productId',
      message: NOT_A_PRODUCT,
    },
  ])('refuses $problem as $field and writes nothing', async ({ items, field, message }) => {
    const product = await newProduct(5);
    const key = newKey();
    const body = await placeOrder(BOB, items(product), key);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors![0]!.extensions!.fieldErrors).toEqual([{ field, message }]);
    expect(await stockOf(product)).toBe(5);
    expect(await db.order.count({ where: { buyerId: BOB.id, idempotencyKey: key } })).toBe(0);
  });

  it.each([
    { problem: 'too short', key: 'short', message: 'must be at least 8 characters' },
    { problem: 'with a space and a slash', key: 'order 12/34', message: 'may hold letters, digits and _ . : - only' },
  ])('refuses an idempotency key $problem and writes nothing', async ({ key, message }) => {
    const product = await newProduct(5);
    const body = await placeOrder(BOB, [line(product, 1)], key);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors![0]!.extensions!.fieldErrors).toEqual([{ field: 'idempotencyKey', message }]);
    expect(await stockOf(product)).toBe(5);
    expect(await ordersOf(product)).toBe(0);
  });
});

describe('placeOrder idempotency', () => {
  it('gives the same order for a retry with the same key, even with the lines in another order', async () => {
    const [pen, ink] = [await newProduct(10), await newProduct(10)];
    const key = newKey();
    const first = await placeOrder(CAROL, [line(pen, 2), line(ink, 1)], key);
    const retry = await placeOrder(CAROL, [line(ink, 1), line(pen, 2)], key);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.placeOrder).toEqual(first.data!.placeOrder);
    expect([await stockOf(pen), await stockOf(ink)]).toEqual([8, 9]);
    expect(await db.order.count({ where: { buyerId: CAROL.id, idempotencyKey: key } })).toBe(1);
  });

  it('gives one order to 5 simultaneous requests with the same key and takes the stock once', async () => {
    const product = await newProduct(20);
    const key = newKey();
    const bodies = await Promise.all(Array.from({ length: 5 }, () => placeOrder(CAROL, [line(product, 3)], key)));
    expect(bodies.map(codes)).toEqual(Array(5).fill(undefined));
    expect(new Set(bodies.map((body) => body.data!.placeOrder.id)).size).toBe(1);
    expect(await stockOf(product)).toBe(17);
    expect(await ordersOf(product)).toBe(1);
  });

  it('answers simultaneous retries of an order for the last units with that order, not OUT_OF_STOCK', async () => {
    const product = await newProduct(3);
    const key = newKey();
    const bodies = await Promise.all(Array.from({ length: 5 }, () => placeOrder(CAROL, [line(product, 3)], key)));
    expect(bodies.map(codes)).toEqual(Array(5).fill(undefined));
    expect(new Set(bodies.map((body) => body.data!.placeOrder.id)).size).toBe(1);
    expect(await stockOf(product)).toBe(0);
  });

  it('refuses the same key with a different order as CONFLICT and takes nothing more', async () => {
    const product = await newProduct(10);
    const key = newKey();
    expect(codes(await placeOrder(BOB, [line(product, 1)], key))).toBeUndefined();
    const body = await placeOrder(BOB, [line(product, 2)], key);
    expect(codes(body)).toEqual(['CONFLICT']);
    expect(body.data).toBeNull();
    expect(await stockOf(product)).toBe(9);
    expect(await db.order.count({ where: { buyerId: BOB.id, idempotencyKey: key } })).toBe(1);
  });

  it("keeps keys per user: another user's order under the same key is a new order", async () => {
    const product = await newProduct(10);
    const key = newKey();
    const bobs = await placeOrder(BOB, [line(product, 1)], key);
    const carols = await placeOrder(CAROL, [line(product, 1)], key);
    expect(carols.errors).toBeUndefined();
    expect(carols.data!.placeOrder.id).not.toBe(bobs.data!.placeOrder.id);
    expect(carols.data!.placeOrder.buyer).toEqual({ id: String(CAROL.id) });
    expect(await stockOf(product)).toBe(8);
    expect(await ordersOf(product)).toBe(2);
  });
});

describe('placeOrder under contention', () => {
  it('sells 5 in stock to exactly 5 of 12 simultaneous buyers; the others get OUT_OF_STOCK', async () => {
    const product = await newProduct(5);
    const bodies = await Promise.all(Array.from({ length: 12 }, () => placeOrder(newShopper(), [line(product, 1)])));
    const outcomes = bodies.map((body) => codes(body)?.join() ?? 'placed');
    expect(outcomes.filter((outcome) => outcome === 'placed')).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome === 'OUT_OF_STOCK')).toHaveLength(7);
    expect(await stockOf(product)).toBe(0);
    expect(await ordersOf(product)).toBe(5);
  });

  it('takes nothing from any line when one line is out of stock', async () => {
    const [plenty, scarce] = [await newProduct(10), await newProduct(1)];
    const body = await placeOrder(BOB, [line(plenty, 3), line(scarce, 2)]);
    expect(codes(body)).toEqual(['OUT_OF_STOCK']);
    expect([await stockOf(plenty), await stockOf(scarce)]).toEqual([10, 1]);
    expect(await ordersOf(plenty)).toBe(0);
  });
});

describe('cancelOrder', () => {
  it('lets the buyer cancel, puts the items back in stock, and refuses a second cancel', async () => {
    const product = await newProduct(10);
    const id = await placedOrder(BOB, [line(product, 3)]);
    expect(await stockOf(product)).toBe(7);
    const body = await cancelOrder(BOB, id);
    expect(body).toEqual({ data: { cancelOrder: { id, status: 'CANCELLED' } } });
    expect(await stockOf(product)).toBe(10);
    const again = await cancelOrder(BOB, id);
    expect(codes(again)).toEqual(['FAILED_PRECONDITION']);
    expect(await stockOf(product)).toBe(10);
  });

  it('refuses an order that has shipped with FAILED_PRECONDITION and keeps its stock taken', async () => {
    const product = await newProduct(10);
    const id = await placedOrder(BOB, [line(product, 3)]);
    await db.order.update({ where: { id: Number(id) }, data: { status: 'SHIPPED' } });
    const body = await cancelOrder(BOB, id);
    expect(codes(body)).toEqual(['FAILED_PRECONDITION']);
    expect(await stockOf(product)).toBe(7);
    expect((await db.order.findUniqueOrThrow({ where: { id: Number(id) } })).status).toBe('SHIPPED');
  });

  it("refuses another user's order with FORBIDDEN and leaves it as it was", async () => {
    const product = await newProduct(10);
    const id = await placedOrder(BOB, [line(product, 3)]);
    const body = await cancelOrder(CAROL, id);
    expect(codes(body)).toEqual(['FORBIDDEN']);
    expect((await db.order.findUniqueOrThrow({ where: { id: Number(id) } })).status).toBe('PENDING');
    expect(await stockOf(product)).toBe(7);
  });

  it("lets an admin cancel anyone's order", async () => {
    const product = await newProduct(10);
    const id = await placedOrder(BOB, [line(product, 3)]);
    expect(await cancelOrder(ADA, id)).toEqual({ data: { cancelOrder: { id, status: 'CANCELLED' } } });
    expect(await stockOf(product)).toBe(10);
  });

  it('gives NOT_FOUND for an order that does not exist', async () => {
    const body = await cancelOrder(ADA, '987654321');
    expect(codes(body)).toEqual(['NOT_FOUND']);
    expect(body.data).toBeNull();
  });
});

describe('reading an order', () => {
  const ORDER_AND_PRODUCT = `query ($id: ID!, $productId: ID!) { order(id: $id) { id buyer { id } } product(id: $productId) { id stock } }`;

  it("refuses another user's order with FORBIDDEN, its field null and the rest of the query intact", async () => {
    const product = await newProduct(10);
    const id = await placedOrder(BOB, [line(product, 1)]);
    const body = await send(CAROL, ORDER_AND_PRODUCT, { id, productId: String(product.id) });
    expect(body.data).toEqual({ order: null, product: { id: String(product.id), stock: 9 } });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ path: ['order'], extensions: { code: 'FORBIDDEN' } });
  });

  it.each([
    { reader: 'its buyer', user: BOB },
    { reader: 'an admin', user: ADA },
  ])('gives the order to $reader', async ({ user }) => {
    const product = await newProduct(10);
    const id = await placedOrder(BOB, [line(product, 1)]);
    const body = await send(user, ORDER_AND_PRODUCT, { id, productId: String(product.id) });
    expect(body).toEqual({
      data: { order: { id, buyer: { id: String(BOB.id) } }, product: { id: String(product.id), stock: 9 } },
    });
  });
});
