import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_ORDER_EXPIRY } from '../subgraphs/orders/src/order-expiry.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';
import { DEMO_TODAY, demoRows, pendingOrderCount, type OrderRow } from './demo-rows.ts';
import { SCALES } from './seed.ts';

const scale = SCALES.demo;
const NOW = new Date('2027-03-15T09:30:00Z');
const DAY = 24 * 3_600_000;

function generate(now = NOW) {
  const rows = demoRows(scale, { now });
  return {
    users: [...rows.users()],
    posts: [...rows.posts()],
    comments: [...rows.comments()],
    products: [...rows.products()],
    orders: [...rows.orders()],
  };
}
const demo = generate();

const times = (rows: { createdAt: Date }[]) => rows.map((row) => row.createdAt.getTime());
const ascending = (values: number[]) => values.every((value, index) => index === 0 || values[index - 1]! <= value);
const isPending = (row: OrderRow) => row.order.status === 'PENDING';

describe('demo rows', () => {
  it('are the same on every run; only the PENDING orders follow the clock', () => {
    expect(generate()).toEqual(demo);
    const later = generate(new Date(NOW.getTime() + 7 * DAY));
    expect(later.posts).toEqual(demo.posts);
    expect(later.orders.map((row) => ({ ...row, order: { ...row.order, createdAt: null } }))).toEqual(
      demo.orders.map((row) => ({ ...row, order: { ...row.order, createdAt: null } })),
    );
    expect(later.orders.filter((row) => !isPending(row))).toEqual(demo.orders.filter((row) => !isPending(row)));
  });

  it('have the scale’s counts, ids 1 to n, and relations that point at rows that exist', () => {
    expect([demo.users, demo.posts, demo.comments, demo.products, demo.orders].map((rows) => rows.length)).toEqual([
      scale.users,
      scale.posts,
      scale.comments,
      scale.products,
      scale.orders,
    ]);
    for (const rows of [demo.users, demo.posts, demo.comments, demo.products]) expect(rows.map((row) => row.id)).toEqual(rows.map((_, index) => index + 1));
    expect(demo.orders.map((row) => row.order.id)).toEqual(demo.orders.map((_, index) => index + 1));
    const inRange = (id: number, count: number) => id >= 1 && id <= count;
    expect(demo.posts.every((post) => inRange(post.authorId, scale.users))).toBe(true);
    expect(demo.comments.every((comment) => inRange(comment.postId, scale.posts) && inRange(comment.authorId, scale.users))).toBe(true);
    expect(demo.orders.every((row) => inRange(row.order.buyerId, scale.users) && row.items.every((item) => inRange(item.productId, scale.products)))).toBe(
      true,
    );
  });

  it('start with the documented demo accounts, then people with names and distinct example.com addresses', () => {
    expect(demo.users.slice(0, 3).map(({ id, name, email, role }) => ({ id, name, email, role }))).toEqual([
      { id: 1, name: 'Ada Admin', email: 'ada@example.com', role: 'ADMIN' },
      { id: 2, name: 'Bob Buyer', email: 'bob@example.com', role: 'USER' },
      { id: 3, name: 'Carol Writer', email: 'carol@example.com', role: 'USER' },
    ]);
    expect(DEMO_ACCOUNTS).toHaveLength(3);
    const others = demo.users.slice(3);
    expect(others.every((user) => user.role === 'USER' && /^\p{Lu}[\p{L}'-]+ \p{Lu}[\p{L}'-]+$/u.test(user.name))).toBe(true);
    const emails = demo.users.map((user) => user.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.every((email) => z.email().safeParse(email).success && email === email.toLowerCase() && email.endsWith('@example.com'))).toBe(true);
  });

  it('spread posts, comments and orders over the year before the demo’s today, in id order, after the members joined', () => {
    const yearBefore = DEMO_TODAY - 365 * DAY;
    const settled = demo.orders.filter((row) => !isPending(row)).map((row) => row.order);
    for (const rows of [demo.posts, demo.comments, settled]) {
      expect(ascending(times(rows))).toBe(true);
      expect(times(rows).every((time) => time >= yearBefore && time <= DEMO_TODAY)).toBe(true);
      const months = new Set(rows.map((row) => row.createdAt.toISOString().slice(0, 7)));
      expect(months.size).toBeGreaterThanOrEqual(12);
    }
    expect(Math.max(...times(demo.users), ...times(demo.products))).toBeLessThan(yearBefore);
    expect(demo.comments.every((comment) => comment.createdAt > demo.posts[comment.postId - 1]!.createdAt)).toBe(true);
  });

  it('write readable posts and comments, never the same sentence twice in one', () => {
    const sentences = (text: string) => text.split(/(?<=[.!?])\s+/);
    for (const post of demo.posts) {
      expect(post.title).toMatch(/^[A-Z0-9][^\n]{10,80}$/);
      const paragraphs = post.body.split('\n\n');
      expect(paragraphs.length).toBeGreaterThanOrEqual(2);
      expect(paragraphs.every((paragraph) => /^[A-Z].*[.!?]$/.test(paragraph))).toBe(true);
      expect(new Set(sentences(post.body)).size).toBe(sentences(post.body).length);
    }
    for (const comment of demo.comments) {
      expect(comment.text).toMatch(/^[A-Z+].*[.!?]$/);
      expect(new Set(sentences(comment.text)).size).toBe(sentences(comment.text).length);
    }
    expect(new Set(demo.posts.map((post) => post.title)).size).toBe(scale.posts);
  });

  it('sell distinct products at shop prices, a few sold out but never one of the first ten', () => {
    expect(new Set(demo.products.map((product) => product.name)).size).toBe(scale.products);
    for (const product of demo.products) {
      expect(product.name).not.toMatch(/\d+$/);
      expect(product.priceCents).toBeGreaterThanOrEqual(900);
      expect(product.priceCents).toBeLessThan(100_000);
      expect([99, 49, 0]).toContain(product.priceCents % 100);
      expect(product.stock).toBeGreaterThanOrEqual(product.id <= 10 ? 1 : 0);
    }
  });

  it('have orders in every status; the PENDING ones are the newest, younger than the expiry TTL, one of them Bob’s', () => {
    const statuses = new Set(demo.orders.map((row) => row.order.status));
    expect([...statuses].sort()).toEqual(['CANCELLED', 'EXPIRED', 'PAID', 'PENDING', 'SHIPPED']);
    const pending = demo.orders.filter(isPending);
    expect(pending).toHaveLength(pendingOrderCount(scale.orders));
    expect(demo.orders.slice(-pending.length)).toEqual(pending);
    for (const { order } of pending) {
      expect(order.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(NOW.getTime() - order.createdAt.getTime()).toBeLessThan(DEFAULT_ORDER_EXPIRY.ttlMinutes * 60_000);
    }
    expect(pending.some((row) => row.order.buyerId === 2)).toBe(true);
    // Paid and not yet shipped: only what was ordered in the last days.
    for (const { order } of demo.orders.filter((row) => row.order.status === 'PAID')) expect(DEMO_TODAY - order.createdAt.getTime()).toBeLessThan(3 * DAY);
  });

  it('total each order from its lines at the products’ prices, each product once, in product order', () => {
    for (const { order, items } of demo.orders) {
      expect(items.length).toBeGreaterThanOrEqual(1);
      expect(
        items.every((item) => item.orderId === order.id && item.quantity >= 1 && item.unitPriceCents === demo.products[item.productId - 1]!.priceCents),
      ).toBe(true);
      expect(ascending(items.map((item) => item.productId)) && new Set(items.map((item) => item.productId)).size === items.length).toBe(true);
      expect(order.totalCents).toBe(items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0));
    }
    const itemIds = demo.orders.flatMap((row) => row.items.map((item) => item.id));
    expect(itemIds).toEqual(itemIds.map((_, index) => index + 1));
  });
});
