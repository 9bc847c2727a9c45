// What the seed writes: exactly the demo rows, with id sequences moved past them, and on a large
// scale a progress line per tenth of each table.
import { verify } from '@node-rs/argon2';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrls } from '../test/graphql.ts';
import { connectOrdersDatabase } from '../subgraphs/orders/src/db.ts';
import { connectPostsDatabase } from '../subgraphs/posts/src/db.ts';
import { connectUsersDatabase } from '../subgraphs/users/src/db.ts';
import { DEMO_PASSWORD } from './demo-accounts.ts';
import { demoRows } from './demo-rows.ts';
import { SCALES, seedDatabases } from './seed.ts';

const urls = testDatabaseUrls();
const users = connectUsersDatabase(urls.users);
const posts = connectPostsDatabase(urls.posts);
const orders = connectOrdersDatabase(urls.orders);
afterAll(() => Promise.all([users.$disconnect(), posts.$disconnect(), orders.$disconnect()]));

const byId = { orderBy: { id: 'asc' as const } };

describe('the demo seed (written by the global setup)', () => {
  const expected = demoRows(SCALES.demo);

  it('holds the demo rows, every user with the demo password', async () => {
    const stored = await users.user.findMany({ ...byId, select: { id: true, name: true, email: true, role: true, createdAt: true } });
    expect(stored).toEqual([...expected.users()]);
    const bob = await users.user.findUniqueOrThrow({ where: { email: 'bob@example.com' } });
    expect(await verify(bob.passwordHash, DEMO_PASSWORD)).toBe(true);
    expect(await posts.post.findMany(byId)).toEqual([...expected.posts()]);
    expect(await posts.comment.findMany(byId)).toEqual([...expected.comments()]);
    expect(await orders.product.findMany(byId)).toEqual([...expected.products()]);
  });

  it('holds the demo orders, the PENDING ones placed in the minutes before it ran', async () => {
    const stored = await orders.order.findMany({ ...byId, include: { items: byId } });
    const rows = [...expected.orders()];
    expect(stored.map(({ items, createdAt, idempotencyKey, requestHash, ...order }) => ({ order, items, idempotencyKey, requestHash }))).toEqual(
      rows.map(({ order: { createdAt, ...order }, items }) => ({ order, items, idempotencyKey: null, requestHash: null })),
    );
    const settled = rows.filter((row) => row.order.status !== 'PENDING');
    expect(stored.slice(0, settled.length).map((order) => order.createdAt)).toEqual(settled.map((row) => row.order.createdAt));
    for (const order of stored.slice(settled.length)) expect(order.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('moved every id sequence past the seeded rows', async () => {
    const scale = SCALES.demo;
    expect((await users.user.create({ data: { name: 'New', email: 'new-seed-test@example.com', passwordHash: 'x' } })).id).toBe(scale.users + 1);
    const post = await posts.post.create({ data: { authorId: 1, title: 'New', body: 'New.' } });
    expect(post.id).toBe(scale.posts + 1);
    expect((await posts.comment.create({ data: { postId: post.id, authorId: 1, text: 'New.' } })).id).toBe(scale.comments + 1);
    const product = await orders.product.create({ data: { name: 'New', priceCents: 100, stock: 1 } });
    expect(product.id).toBe(scale.products + 1);
    const order = await orders.order.create({
      data: { buyerId: 1, totalCents: 100, items: { create: { productId: product.id, quantity: 1, unitPriceCents: 100 } } },
      include: { items: true },
    });
    expect(order.id).toBe(scale.orders + 1);
    expect(order.items[0]!.id).toBe(await orders.orderItem.count());
  });
});

describe('seeding a large scale', () => {
  it('reports every table at each tenth it reaches, one line each, then the time taken', async () => {
    const lines: string[] = [];
    const scale = { users: 3, posts: 10, comments: 12_000, products: 10, orders: 10 };
    expect(await seedDatabases(urls, { scale, reset: true, log: (line) => lines.push(line) })).toBe(true);
    const shown = lines.map((line) => line.replace(/\d+\.\d s/, 'T s'));
    expect(shown[0]).toBe('Seeding 3 users, 10 posts, 12,000 comments, 10 products, 10 orders...');
    expect(shown.at(-1)).toBe('Seeded in T s.');
    // The three databases are written at once, so their lines interleave; each table's are in order.
    expect(shown.filter((line) => line.includes('comments:'))).toEqual([
      '  comments: 5,000 of 12,000 (40%) [T s]',
      '  comments: 10,000 of 12,000 (80%) [T s]',
      '  comments: 12,000 of 12,000 (100%) [T s]',
    ]);
    expect(
      shown
        .slice(1, -1)
        .filter((line) => !line.includes('comments:'))
        .sort(),
    ).toEqual(['  orders: 10 of 10 (100%) [T s]', '  posts: 10 of 10 (100%) [T s]', '  products: 10 of 10 (100%) [T s]', '  users: 3 of 3 (100%) [T s]']);
    expect(await posts.comment.count()).toBe(12_000);
  });

  it('says nothing between the first and last line at the demo scale', async () => {
    const lines: string[] = [];
    expect(await seedDatabases(urls, { scale: SCALES.demo, reset: true, log: (line) => lines.push(line) })).toBe(true);
    expect(lines).toHaveLength(2);
  });
});
