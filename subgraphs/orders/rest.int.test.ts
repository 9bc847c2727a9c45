// The orders service's REST endpoints: public products; private orders (the buyer or an admin,
// with the scope orders:read): 401 without a token, 403 for anyone else, never cacheable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '#lib/service/http.ts';
import { ADA, bearer } from '../../test/auth.ts';
import { testDatabaseUrls } from '../../test/graphql.ts';
import { getRest, startWithUsersService } from '../../test/rest.ts';
import { connectOrdersDatabase } from './src/db.ts';
import { ordersSubgraph } from './src/subgraph.ts';

let running: Awaited<ReturnType<typeof startWithUsersService>>;
let service: RunningService;
const db = connectOrdersDatabase(testDatabaseUrls().orders);
const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

beforeAll(async () => {
  running = await startWithUsersService('orders', ordersSubgraph);
  service = running.service;
});
afterAll(async () => {
  await running.close();
  await db.$disconnect();
});

const userOf = (id: number) => ({ id, role: 'USER' as const });

/** A buyer with at least `count` orders, and someone else (not an admin). */
async function buyerWithOrders(count: number) {
  const groups = await db.order.groupBy({ by: ['buyerId'], _count: { _all: true }, orderBy: { buyerId: 'asc' } });
  const buyerId = groups.find((group) => group._count._all >= count && group.buyerId !== ADA.id)!.buyerId;
  const otherId = buyerId === 50 ? 49 : buyerId + 1;
  return { buyerId, otherId };
}

describe('products REST', () => {
  it('serves products by id and in pages, public and cacheable', async () => {
    const product = await db.product.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const { status, body, headers } = await getRest(service, `/products/${product.id}`);
    expect(status).toBe(200);
    expect(body).toEqual({ id: String(product.id), name: product.name, priceCents: product.priceCents, stock: product.stock });
    expect(headers.get('cache-control')).toBe('public, max-age=30');
    expect((await getRest(service, `/products/${product.id}`, { 'if-none-match': headers.get('etag')! })).status).toBe(304);
    expect((await getRest(service, '/products/999999')).status).toBe(404);

    const page = await getRest(service, '/products?limit=5');
    const expected = await db.product.findMany({ orderBy: NEWEST_FIRST, take: 5 });
    expect(page.body.items.map((item: { id: string }) => item.id)).toEqual(expected.map((item) => String(item.id)));
    expect(page.headers.get('link')).toBe(`</products?limit=5&cursor=${page.body.nextCursor}>; rel="next"`);
    expect(page.headers.get('cache-control')).toBe('public, max-age=30');
  });
});

describe('GET /orders/:id', () => {
  it('serves the buyer and admins the order with its lines, never cacheable', async () => {
    const order = await db.order.findFirstOrThrow({ where: { buyerId: { not: ADA.id } }, include: { items: { orderBy: { id: 'asc' } } } });
    for (const viewer of [userOf(order.buyerId), ADA]) {
      const { status, body, headers } = await getRest(service, `/orders/${order.id}`, await bearer(viewer));
      expect(status).toBe(200);
      expect(body).toEqual({
        id: String(order.id),
        buyerId: String(order.buyerId),
        status: order.status,
        totalCents: order.totalCents,
        createdAt: order.createdAt.toISOString(),
        items: order.items.map((item) => ({ productId: String(item.productId), quantity: item.quantity, unitPriceCents: item.unitPriceCents })),
      });
      expect(headers.get('cache-control')).toBe('private, no-store');
      expect(headers.get('etag')).toBeNull();
    }
  });

  it('is 401 anonymous (whether or not the order exists), 403 for others or without the scope, 404 when missing', async () => {
    const order = await db.order.findFirstOrThrow({ where: { buyerId: { not: ADA.id } } });
    for (const id of [order.id, 999999]) {
      const anonymous = await getRest(service, `/orders/${id}`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    }
    const someoneElse = await getRest(service, `/orders/${order.id}`, await bearer(userOf(order.buyerId === 50 ? 49 : order.buyerId + 1)));
    expect(someoneElse.status).toBe(403);
    expect(someoneElse.body.error.code).toBe('FORBIDDEN');
    const withoutScope = await getRest(service, `/orders/${order.id}`, await bearer(userOf(order.buyerId), ['posts:write']));
    expect(withoutScope.status).toBe(403);
    expect(withoutScope.body.error.message).toContain('orders:read');
    const missing = await getRest(service, '/orders/999999', await bearer(ADA));
    expect(missing.status).toBe(404);
  });
});

describe('GET /users/:id/orders', () => {
  it("pages the buyer's orders newest first with their lines, in two statements", async () => {
    const { buyerId } = await buyerWithOrders(3);
    const expected = await db.order.findMany({ where: { buyerId }, orderBy: NEWEST_FIRST, include: { items: true } });
    const headers = await bearer(userOf(buyerId));
    const first = await getRest(service, `/users/${buyerId}/orders?limit=2`, { ...headers, 'x-debug-sql': '1' });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    // The page of orders, then the lines of all of them.
    expect(first.headers.get('x-sql-statements')).toBe('2');
    expect(first.body.items.map((order: { id: string; items: unknown[] }) => [order.id, order.items.length])).toEqual(
      expected.slice(0, 2).map((order) => [String(order.id), order.items.length]),
    );
    const second = await getRest(service, `/users/${buyerId}/orders?limit=2&cursor=${first.body.nextCursor}`, headers);
    expect(second.body.items[0].id).toBe(String(expected[2]!.id));
  });

  it('is 401 anonymous or with a bad token, 403 for another user, and open to admins', async () => {
    const { buyerId, otherId } = await buyerWithOrders(1);
    expect((await getRest(service, `/users/${buyerId}/orders`)).status).toBe(401);
    expect((await getRest(service, `/users/${buyerId}/orders`, { authorization: 'Bearer a.b.c' })).status).toBe(401);
    const other = await getRest(service, `/users/${buyerId}/orders`, await bearer(userOf(otherId)));
    expect(other.status).toBe(403);
    expect(other.body.error).toEqual({ code: 'FORBIDDEN', message: "Only its owner or an admin may read this user's orders." });
    const admin = await getRest(service, `/users/${buyerId}/orders`, await bearer(ADA));
    expect(admin.status).toBe(200);
    expect(admin.body.items.length).toBeGreaterThan(0);
  });
});
