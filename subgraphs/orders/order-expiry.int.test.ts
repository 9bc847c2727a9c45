// Unpaid orders expire: the sweep marks PENDING orders older than the TTL EXPIRED and puts their
// items back in stock exactly once, whether two replicas sweep at once or a payment or a cancel
// races it; markOrderPaid refuses what expired. Each sweep is given its "now": the orders are
// placed now and swept as if the TTL had passed, so no test waits for a clock, and no background
// sweeper (which reads the real clock) touches them meanwhile.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '#lib/service/auth.ts';
import { onCacheInvalidation } from '#lib/service/cache-invalidation.ts';
import { ADA, BOB, CAROL, bearer } from '../../test/auth.ts';
import { postGraphQL, startTestSubgraph, useTestSubgraph, type GraphQLResponse } from '../../test/graphql.ts';
import { connectOrdersDatabase } from './src/db.ts';
import type { OrderModel } from './src/models.ts';
import { DEFAULT_ORDER_EXPIRY, orderExpirySettingsFromEnv, startUnpaidOrderSweeper, sweepUnpaidOrders } from './src/order-expiry.ts';
import { placeOrder } from './src/ordering.ts';
import { ordersSubgraph } from './src/subgraph.ts';

const subgraph = useTestSubgraph('orders', ordersSubgraph, connectOrdersDatabase);
const { db } = subgraph;

type Body = GraphQLResponse<Record<string, any>>['body'];

const TTL_MINUTES = 30;
const MINUTE = 60_000;

const newProduct = (stock: number) => db.product.create({ data: { name: `Test product ${randomUUID()}`, priceCents: 500, stock } });
const stockOf = async (product: { id: number }) => (await db.product.findUniqueOrThrow({ where: { id: product.id } })).stock;
const statusOf = async (order: { id: number }) => (await db.order.findUniqueOrThrow({ where: { id: order.id } })).status;

let nextBuyerId = 800_000;
/** An order placed now, as placeOrder places it: its stock taken. */
const placed = (lines: { productId: number; quantity: number }[], buyerId = nextBuyerId++) => placeOrder(db, buyerId, lines, `expiry-${randomUUID()}`);

/** The instant `minutes` after the last of these orders was placed. */
const minutesAfter = (orders: OrderModel[], minutes: number) => new Date(Math.max(...orders.map((order) => order.createdAt.getTime())) + minutes * MINUTE);

const sweep = (now: Date, batchSize?: number) => sweepUnpaidOrders(db, { ttlMinutes: TTL_MINUTES, now, batchSize });
const idsOf = (orders: { id: number }[]) => orders.map((order) => order.id);

async function send(user: { id: number; role: Role }, query: string, variables: Record<string, unknown>): Promise<Body> {
  return (await postGraphQL(subgraph.service.url, query, variables, await bearer(user))).body;
}
const MARK_PAID = 'mutation ($id: ID!) { markOrderPaid(id: $id) { id status } }';
const CANCEL = 'mutation ($id: ID!) { cancelOrder(id: $id) { id status } }';
const markPaid = (order: { id: number }, user = ADA) => send(user, MARK_PAID, { id: String(order.id) });
const cancel = (order: { id: number; buyerId: number }) => send({ id: order.buyerId, role: 'USER' }, CANCEL, { id: String(order.id) });
const codes = (body: Body) => body.errors?.map((error) => error.extensions?.code);

describe('order expiry settings', () => {
  it('defaults to a 30-minute TTL, swept every minute', () => {
    expect(orderExpirySettingsFromEnv({})).toEqual({ ttlMinutes: 30, sweepIntervalSeconds: 60 });
    expect(DEFAULT_ORDER_EXPIRY).toEqual({ ttlMinutes: 30, sweepIntervalSeconds: 60 });
  });

  it('reads PENDING_ORDER_TTL_MINUTES and PENDING_ORDER_SWEEP_SECONDS; empty is unset', () => {
    expect(orderExpirySettingsFromEnv({ PENDING_ORDER_TTL_MINUTES: '1440', PENDING_ORDER_SWEEP_SECONDS: '15' })).toEqual({
      ttlMinutes: 1_440,
      sweepIntervalSeconds: 15,
    });
    expect(orderExpirySettingsFromEnv({ PENDING_ORDER_TTL_MINUTES: '', PENDING_ORDER_SWEEP_SECONDS: '' })).toEqual(DEFAULT_ORDER_EXPIRY);
  });

  it.each([
    { name: 'PENDING_ORDER_TTL_MINUTES', value: '0' },
    { name: 'PENDING_ORDER_TTL_MINUTES', value: '-5' },
    { name: 'PENDING_ORDER_TTL_MINUTES', value: '1.5' },
    { name: 'PENDING_ORDER_TTL_MINUTES', value: 'half an hour' },
    { name: 'PENDING_ORDER_TTL_MINUTES', value: '100000' },
    { name: 'PENDING_ORDER_SWEEP_SECONDS', value: '0' },
    { name: 'PENDING_ORDER_SWEEP_SECONDS', value: '86400' },
  ])('refuses $name=$value, naming the variable and what it accepts', ({ name, value }) => {
    expect(() => orderExpirySettingsFromEnv({ [name]: value })).toThrow(
      new RegExp(`^Invalid order expiry settings: ${name} must be a whole number (of minutes|of seconds) from 1 to \\d+`),
    );
  });

  it('refuses to start an orders service with invalid settings', async () => {
    vi.stubEnv('PENDING_ORDER_TTL_MINUTES', 'soon');
    try {
      expect(() => ordersSubgraph('postgresql://127.0.0.1:1/none')).toThrow('PENDING_ORDER_TTL_MINUTES must be a whole number');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('sweepUnpaidOrders', () => {
  it('expires a PENDING order older than the TTL and puts its items back in stock, once', async () => {
    const [pen, ink] = [await newProduct(10), await newProduct(5)];
    const order = await placed([
      { productId: pen.id, quantity: 3 },
      { productId: ink.id, quantity: 2 },
    ]);
    expect([await stockOf(pen), await stockOf(ink)]).toEqual([7, 3]);

    const expired = await sweep(minutesAfter([order], TTL_MINUTES + 1));
    expect(expired).toContainEqual({ id: order.id, buyerId: order.buyerId });
    expect(await statusOf(order)).toBe('EXPIRED');
    expect([await stockOf(pen), await stockOf(ink)]).toEqual([10, 5]);

    const again = await sweep(minutesAfter([order], TTL_MINUTES + 2));
    expect(idsOf(again)).not.toContain(order.id);
    expect([await stockOf(pen), await stockOf(ink)]).toEqual([10, 5]);
  });

  it('leaves alone orders younger than the TTL, and orders that are paid, shipped or cancelled', async () => {
    const product = await newProduct(100);
    const [young, paid, shipped, cancelled] = [
      await placed([{ productId: product.id, quantity: 1 }]),
      await placed([{ productId: product.id, quantity: 2 }]),
      await placed([{ productId: product.id, quantity: 4 }]),
      await placed([{ productId: product.id, quantity: 8 }]),
    ];
    await db.order.update({ where: { id: paid.id }, data: { status: 'PAID' } });
    await db.order.update({ where: { id: shipped.id }, data: { status: 'SHIPPED' } });
    expect(codes(await cancel(cancelled))).toBeUndefined();
    expect(await stockOf(product)).toBe(100 - 1 - 2 - 4);

    // The young order is swept a second before its TTL is up; the others long after theirs.
    const beforeYoungExpires = new Date(young.createdAt.getTime() + TTL_MINUTES * MINUTE - 1_000);
    await db.order.updateMany({
      where: { id: { in: [paid.id, shipped.id, cancelled.id] } },
      data: { createdAt: new Date(young.createdAt.getTime() - 2 * TTL_MINUTES * MINUTE) },
    });
    const expired = idsOf(await sweep(beforeYoungExpires));
    expect(expired).not.toContain(young.id);
    expect(expired).not.toContain(paid.id);
    expect(expired).not.toContain(shipped.id);
    expect(expired).not.toContain(cancelled.id);
    expect([await statusOf(young), await statusOf(paid), await statusOf(shipped), await statusOf(cancelled)]).toEqual([
      'PENDING',
      'PAID',
      'SHIPPED',
      'CANCELLED',
    ]);
    expect(await stockOf(product)).toBe(100 - 1 - 2 - 4);
  });

  it('expires every due order, batch after batch', async () => {
    const product = await newProduct(50);
    const orders = [];
    for (let index = 0; index < 12; index++) orders.push(await placed([{ productId: product.id, quantity: 2 }]));
    expect(await stockOf(product)).toBe(26);
    const expired = idsOf(await sweep(minutesAfter(orders, TTL_MINUTES + 1), 5));
    expect(expired).toEqual(expect.arrayContaining(idsOf(orders)));
    expect(await stockOf(product)).toBe(50);
  });

  it('restocks once when three replicas sweep the same orders at the same time', async () => {
    const [pen, ink] = [await newProduct(60), await newProduct(60)];
    const orders = [];
    for (let index = 0; index < 20; index++) {
      orders.push(
        await placed([
          { productId: pen.id, quantity: 1 },
          { productId: ink.id, quantity: 2 },
        ]),
      );
    }
    expect([await stockOf(pen), await stockOf(ink)]).toEqual([40, 20]);
    const now = minutesAfter(orders, TTL_MINUTES + 1);
    const sweeps = await Promise.all([sweep(now, 3), sweep(now, 3), sweep(now, 3)]);
    const mine = new Set(idsOf(orders));
    const expiredBySweep = sweeps.map((expired) => idsOf(expired).filter((id) => mine.has(id)));
    // Every order was expired by exactly one of the sweeps.
    expect(expiredBySweep.flat().sort((a, b) => a - b)).toEqual([...mine].sort((a, b) => a - b));
    expect([await stockOf(pen), await stockOf(ink)]).toEqual([60, 60]);
    expect(await db.order.count({ where: { id: { in: [...mine] }, status: 'EXPIRED' } })).toBe(20);
  });

  it('tells the caches what changed, as a mutation does: each order, its buyer, each product restocked', async () => {
    const [pen, ink] = [await newProduct(10), await newProduct(10)];
    const order = await placed([
      { productId: pen.id, quantity: 1 },
      { productId: ink.id, quantity: 1 },
    ]);
    const heard: string[][] = [];
    const stop = onCacheInvalidation((tags) => void heard.push(tags));
    try {
      await sweep(minutesAfter([order], TTL_MINUTES + 1));
    } finally {
      stop();
    }
    expect(heard.flat()).toEqual(expect.arrayContaining([`Order#${order.id}`, `User#${order.buyerId}`, `Product#${pen.id}`, `Product#${ink.id}`]));
  });
});

describe('a payment or a cancel racing the sweep', () => {
  it('either pays or expires each order; stock stays held for exactly the paid ones', async () => {
    const product = await newProduct(100);
    const orders = [];
    for (let index = 0; index < 10; index++) orders.push(await placed([{ productId: product.id, quantity: 3 }]));
    const [payments] = await Promise.all([Promise.all(orders.map((order) => markPaid(order))), sweep(minutesAfter(orders, TTL_MINUTES + 1), 2)]);
    for (const [index, body] of payments.entries()) {
      const status = await statusOf(orders[index]!);
      if (status === 'PAID') expect(body).toEqual({ data: { markOrderPaid: { id: String(orders[index]!.id), status: 'PAID' } } });
      else {
        expect(status).toBe('EXPIRED');
        expect(codes(body)).toEqual(['ORDER_EXPIRED']);
      }
    }
    const paid = await db.order.count({ where: { id: { in: idsOf(orders) }, status: 'PAID' } });
    expect(await stockOf(product)).toBe(100 - 3 * paid);
  });

  it('either cancels or expires each order; all the stock comes back, once', async () => {
    const product = await newProduct(100);
    const orders = [];
    for (let index = 0; index < 10; index++) orders.push(await placed([{ productId: product.id, quantity: 3 }]));
    expect(await stockOf(product)).toBe(70);
    const [cancels] = await Promise.all([Promise.all(orders.map((order) => cancel(order))), sweep(minutesAfter(orders, TTL_MINUTES + 1), 2)]);
    for (const [index, body] of cancels.entries()) {
      const status = await statusOf(orders[index]!);
      expect(codes(body)).toEqual(status === 'CANCELLED' ? undefined : ['ORDER_EXPIRED']);
      expect(['CANCELLED', 'EXPIRED']).toContain(status);
    }
    expect(await stockOf(product)).toBe(100);
  });
});

describe('putting items back in stock while others order them', () => {
  // Lines are restocked in product order, the order in which placeOrder takes them; taken in the
  // order of the lines, a cancel and an order for the same two products deadlocked.
  const PLACE = 'mutation ($input: PlaceOrderInput!, $key: String!) { placeOrder(input: $input, idempotencyKey: $key) { id } }';
  const placeOverHttp = (buyerId: number, productIds: number[]) =>
    send({ id: buyerId, role: 'USER' }, PLACE, {
      input: { items: productIds.map((productId) => ({ productId: String(productId), quantity: 1 })) },
      key: `order-${randomUUID()}`,
    });

  it.each([
    {
      restock: 'cancels',
      restockAll: async (orders: OrderModel[]) => (await Promise.all(orders.map(cancel))).flatMap((body) => body.errors ?? []),
    },
    {
      restock: 'a sweep',
      restockAll: async (orders: OrderModel[]) => {
        await sweep(minutesAfter(orders, TTL_MINUTES + 1), 5);
        return [];
      },
    },
  ])('lets $restock and new orders for the same products run at once, without a deadlock', async ({ restockAll }) => {
    const [first, second] = [await newProduct(1_000), await newProduct(1_000)];
    const orders = [];
    // The second product first: their lines are stored, and were restocked, in that order.
    for (let index = 0; index < 20; index++) {
      orders.push(
        await placed([
          { productId: second.id, quantity: 1 },
          { productId: first.id, quantity: 1 },
        ]),
      );
    }
    const [restockErrors, newOrders] = await Promise.all([
      restockAll(orders),
      Promise.all(orders.map((order) => placeOverHttp(order.buyerId, [first.id, second.id]))),
    ]);
    expect([...restockErrors, ...newOrders.flatMap((body) => body.errors ?? [])]).toEqual([]);
    // Each product's stock is what the orders still holding it do not hold (a sweep may have
    // expired some of the new orders too).
    for (const product of [first, second]) {
      const holding = await db.order.count({
        where: { status: { notIn: ['EXPIRED', 'CANCELLED'] }, items: { some: { productId: product.id } } },
      });
      expect(await stockOf(product)).toBe(1_000 - holding);
    }
  });
});

describe('markOrderPaid', () => {
  it('lets an admin mark a PENDING order PAID, keeps its stock taken, and answers a repeat with the order', async () => {
    const product = await newProduct(10);
    const order = await placed([{ productId: product.id, quantity: 4 }]);
    const id = String(order.id);
    expect(await markPaid(order)).toEqual({ data: { markOrderPaid: { id, status: 'PAID' } } });
    expect(await markPaid(order)).toEqual({ data: { markOrderPaid: { id, status: 'PAID' } } });
    expect(await stockOf(product)).toBe(6);
    // A paid order never expires.
    expect(idsOf(await sweep(minutesAfter([order], TTL_MINUTES + 1)))).not.toContain(order.id);
    expect(await statusOf(order)).toBe('PAID');
  });

  it('refuses an order that expired with ORDER_EXPIRED and leaves it expired, its items in stock', async () => {
    const product = await newProduct(10);
    const order = await placed([{ productId: product.id, quantity: 4 }]);
    await sweep(minutesAfter([order], TTL_MINUTES + 1));
    const body = await markPaid(order);
    expect(codes(body)).toEqual(['ORDER_EXPIRED']);
    expect(body.errors![0]!.message).toBe(
      'This order expired before it was paid, and its items went back in stock. Refund the payment; the buyer can place the order again.',
    );
    expect(body.data).toBeNull();
    expect(await statusOf(order)).toBe('EXPIRED');
    expect(await stockOf(product)).toBe(10);
  });

  it('refuses a cancelled order with FAILED_PRECONDITION', async () => {
    const product = await newProduct(10);
    const order = await placed([{ productId: product.id, quantity: 4 }], BOB.id);
    expect(codes(await cancel(order))).toBeUndefined();
    const body = await markPaid(order);
    expect(codes(body)).toEqual(['FAILED_PRECONDITION']);
    expect(await statusOf(order)).toBe('CANCELLED');
    expect(await stockOf(product)).toBe(10);
  });

  it("refuses a user, even the order's buyer, with FORBIDDEN", async () => {
    const product = await newProduct(10);
    const order = await placed([{ productId: product.id, quantity: 1 }], CAROL.id);
    expect(codes(await markPaid(order, CAROL))).toEqual(['FORBIDDEN']);
    expect(await statusOf(order)).toBe('PENDING');
  });

  it('gives NOT_FOUND for an order that does not exist', async () => {
    expect(codes(await markPaid({ id: 987_654_321 }))).toEqual(['NOT_FOUND']);
  });
});

describe('cancelOrder after expiry', () => {
  it('refuses an expired order with ORDER_EXPIRED and puts nothing back twice', async () => {
    const product = await newProduct(10);
    const order = await placed([{ productId: product.id, quantity: 4 }], BOB.id);
    await sweep(minutesAfter([order], TTL_MINUTES + 1));
    const body = await cancel(order);
    expect(codes(body)).toEqual(['ORDER_EXPIRED']);
    expect(body.errors![0]!.message).toBe('This order expired before it was paid; its items are already back in stock.');
    expect(await stockOf(product)).toBe(10);
  });
});

describe('the sweeper', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('sweeps on its interval with its clock until stopped', async () => {
    const product = await newProduct(10);
    const order = await placed([{ productId: product.id, quantity: 4 }]);
    const stop = startUnpaidOrderSweeper(
      db,
      { ttlMinutes: TTL_MINUTES, sweepIntervalSeconds: 0.05 },
      {
        clock: () => minutesAfter([order], TTL_MINUTES + 1),
      },
    );
    try {
      await vi.waitFor(async () => expect(await statusOf(order)).toBe('EXPIRED'), { timeout: 5_000, interval: 50 });
    } finally {
      await stop();
    }
    expect(await stockOf(product)).toBe(10);
  });

  it('runs in every orders service, with the TTL and interval of its environment', async () => {
    vi.stubEnv('PENDING_ORDER_TTL_MINUTES', '1');
    vi.stubEnv('PENDING_ORDER_SWEEP_SECONDS', '1');
    const service = await startTestSubgraph('orders', ordersSubgraph);
    try {
      const product = await newProduct(10);
      const order = await placed([{ productId: product.id, quantity: 4 }]);
      // Placed two minutes ago, as far as the service's real clock can tell.
      await db.order.update({ where: { id: order.id }, data: { createdAt: new Date(Date.now() - 2 * MINUTE) } });
      await vi.waitFor(async () => expect(await statusOf(order)).toBe('EXPIRED'), { timeout: 10_000, interval: 100 });
      expect(await stockOf(product)).toBe(10);
    } finally {
      await service.close();
    }
  });
});
