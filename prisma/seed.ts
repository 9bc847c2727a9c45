// Deterministic demo and benchmark data: the same scale always yields the same rows, so numbers
// measured on one machine can be reproduced on another. Rows are written with batched inserts.
import { hash } from '@node-rs/argon2';
import { environment, isProduction, type EnvironmentSource } from '#lib/service/env.ts';
import { connectOrdersDatabase } from '../subgraphs/orders/src/db.ts';
import { connectPostsDatabase } from '../subgraphs/posts/src/db.ts';
import { connectUsersDatabase } from '../subgraphs/users/src/db.ts';
import type { DatabaseUrls } from './postgres.ts';

export interface SeedScale {
  users: number;
  posts: number;
  comments: number;
  products: number;
  orders: number;
}

export const SCALES = {
  demo: { users: 50, posts: 300, comments: 1_500, products: 40, orders: 200 },
  bench: { users: 5_000, posts: 50_000, comments: 250_000, products: 1_000, orders: 50_000 },
} satisfies Record<string, SeedScale>;

export type ScaleName = keyof typeof SCALES;

/** The documented demo accounts (README); every seeded user shares this password. */
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_ACCOUNTS = [
  { name: 'Ada Admin', email: 'ada@example.com', role: 'ADMIN' },
  { name: 'Bob Buyer', email: 'bob@example.com', role: 'USER' },
  { name: 'Carol Writer', email: 'carol@example.com', role: 'USER' },
] as const;

const BATCH_SIZE = 5_000;
const EPOCH = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

/** mulberry32: a small seeded PRNG, enough for reproducible fake data. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    /** An integer in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'Dev', 'Ema', 'Finn', 'Gia', 'Hugo', 'Iris', 'Jon', 'Kai', 'Lena'];
const LAST_NAMES = ['Silva', 'Okafor', 'Novak', 'Tanaka', 'Meyer', 'Haddad', 'Kowalski', 'Rossi', 'Dubois', 'Kim'];
const WORDS = ['graph', 'query', 'cache', 'schema', 'latency', 'resolver', 'batch', 'cursor', 'index', 'gateway',
  'service', 'tracing', 'federation', 'postgres', 'client', 'mutation', 'token', 'limit', 'loader', 'entity'];
const PRODUCTS = ['Keyboard', 'Mouse', 'Monitor', 'Desk Lamp', 'Notebook', 'Headphones', 'Mug', 'Backpack', 'Cable',
  'Chair', 'Webcam', 'Stand'];

function sentence(random: ReturnType<typeof randomSource>, words: number): string {
  const text = Array.from({ length: words }, () => random.pick(WORDS)).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function insertInBatches<Row>(
  label: string,
  total: number,
  makeRow: (index: number) => Row,
  insert: (rows: Row[]) => Promise<unknown>,
  log: (line: string) => void,
) {
  const progressStep = Math.max(BATCH_SIZE, Math.ceil(total / 5 / BATCH_SIZE) * BATCH_SIZE);
  for (let start = 0; start < total; start += BATCH_SIZE) {
    const end = Math.min(start + BATCH_SIZE, total);
    await insert(Array.from({ length: end - start }, (_, offset) => makeRow(start + offset)));
    if (total > BATCH_SIZE && (end % progressStep === 0 || end === total)) {
      log(`  ${label}: ${end.toLocaleString('en')}/${total.toLocaleString('en')}`);
    }
  }
}

type Closeable = { $disconnect(): Promise<void>; $executeRawUnsafe(sql: string): Promise<number> };

/** Explicit ids were inserted; move each id sequence past them so later inserts do not collide. */
async function advanceSequences(db: Closeable, tables: string[]) {
  for (const table of tables) {
    await db.$executeRawUnsafe(
      `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST((SELECT MAX(id) FROM "${table}"), 1))`,
    );
  }
}

/**
 * Why demo data must not be seeded in this environment, or null when it may. Every demo account
 * (an ADMIN among them) has the password printed in the README: in production they would be
 * anyone's way in. A throwaway demo deployment opts in with SEED_DEMO_DATA=true.
 */
export function demoDataRefusal(source?: EnvironmentSource): string | null {
  if (!isProduction(source) || environment(source).SEED_DEMO_DATA === 'true') return null;
  return (
    'NODE_ENV=production: no demo data seeded. Its accounts, ada@example.com (ADMIN) among them, share the published ' +
    'password "demo-password". For a throwaway demo deployment only, set SEED_DEMO_DATA=true.'
  );
}

export interface SeedOptions {
  scale: SeedScale;
  log?: (line: string) => void;
  /** Empty the tables first; without it, databases that already hold data are left alone. */
  reset?: boolean;
}

/** Seeds the three databases; returns false (and writes nothing) when they already hold data. */
export async function seedDatabases(urls: DatabaseUrls, options: SeedOptions): Promise<boolean> {
  const { scale, log = () => {} } = options;
  const refusal = demoDataRefusal();
  if (refusal) throw new Error(refusal);
  const users = connectUsersDatabase(urls.users);
  const posts = connectPostsDatabase(urls.posts);
  const orders = connectOrdersDatabase(urls.orders);
  try {
    if (options.reset) {
      await users.$executeRawUnsafe('TRUNCATE "User", "LogInThrottle" RESTART IDENTITY CASCADE');
      await posts.$executeRawUnsafe('TRUNCATE "Comment", "Post" RESTART IDENTITY CASCADE');
      await orders.$executeRawUnsafe('TRUNCATE "OrderItem", "Order", "Product" RESTART IDENTITY CASCADE');
    }
    const counts = await Promise.all([users.user.count(), posts.post.count(), orders.product.count()]);
    if (counts.some((count) => count > 0)) return false;

    const random = randomSource(42);
    const passwordHash = await hash(DEMO_PASSWORD);
    const started = Date.now();
    log(`Seeding ${Object.entries(scale).map(([table, n]) => `${n.toLocaleString('en')} ${table}`).join(', ')}...`);

    await insertInBatches('users', scale.users, (index) => {
      const account = DEMO_ACCOUNTS[index];
      const name = account?.name ?? `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
      return {
        id: index + 1,
        name,
        email: account?.email ?? `user${index + 1}@example.com`,
        role: account?.role ?? 'USER',
        passwordHash,
        createdAt: new Date(EPOCH + index * MINUTE),
      };
    }, (data) => users.user.createMany({ data }), log);

    await insertInBatches('posts', scale.posts, (index) => ({
      id: index + 1,
      authorId: random.int(1, scale.users),
      title: sentence(random, random.int(3, 7)),
      body: `${sentence(random, random.int(20, 60))}.`,
      createdAt: new Date(EPOCH + scale.users * MINUTE + index * MINUTE),
    }), (data) => posts.post.createMany({ data }), log);

    await insertInBatches('comments', scale.comments, (index) => {
      const postId = random.int(1, scale.posts);
      return {
        id: index + 1,
        postId,
        authorId: random.int(1, scale.users),
        text: `${sentence(random, random.int(4, 16))}.`,
        // After its post, so every comment is newer than what it replies to.
        createdAt: new Date(EPOCH + (scale.users + postId) * MINUTE + random.int(1, 10_000) * 1_000),
      };
    }, (data) => posts.comment.createMany({ data }), log);

    const prices = Array.from({ length: scale.products }, () => random.int(199, 49_999));
    await insertInBatches('products', scale.products, (index) => ({
      id: index + 1,
      name: `${random.pick(PRODUCTS)} ${index + 1}`,
      priceCents: prices[index]!,
      stock: random.int(0, 500),
      createdAt: new Date(EPOCH + index * MINUTE),
    }), (data) => orders.product.createMany({ data }), log);

    // No PENDING: the seeded orders are older than any TTL, and the first sweep would expire them
    // (and put their items back in stock) under whatever reads the demo data at that moment.
    const statuses = ['EXPIRED', 'PAID', 'SHIPPED', 'CANCELLED'] as const;
    let itemId = 0;
    const orderRows = Array.from({ length: scale.orders }, (_, index) => {
      const productIds = new Set(Array.from({ length: random.int(1, 3) }, () => random.int(1, scale.products)));
      const items = [...productIds].map((productId) => ({
        id: ++itemId,
        orderId: index + 1,
        productId,
        quantity: random.int(1, 4),
        unitPriceCents: prices[productId - 1]!,
      }));
      return {
        order: {
          id: index + 1,
          buyerId: random.int(1, scale.users),
          status: random.pick(statuses),
          totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
          createdAt: new Date(EPOCH + index * MINUTE),
        },
        items,
      };
    });
    await insertInBatches('orders', orderRows.length, (index) => orderRows[index]!.order,
      (data) => orders.order.createMany({ data }), log);
    const itemRows = orderRows.flatMap((row) => row.items);
    await insertInBatches('order items', itemRows.length, (index) => itemRows[index]!,
      (data) => orders.orderItem.createMany({ data }), log);

    await advanceSequences(users, ['User']);
    await advanceSequences(posts, ['Post', 'Comment']);
    await advanceSequences(orders, ['Product', 'Order', 'OrderItem']);
    log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return true;
  } finally {
    await Promise.all([users.$disconnect(), posts.$disconnect(), orders.$disconnect()]);
  }
}
