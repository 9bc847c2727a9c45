// Writes the demo and benchmark data (demo-rows.ts) with batched inserts. Deterministic: the same
// scale always yields the same rows, so numbers measured on one machine can be reproduced on another.
import { hash } from '@node-rs/argon2';
import { environment, isProduction, type EnvironmentSource } from '#lib/service/env.ts';
import { connectOrdersDatabase } from '../subgraphs/orders/src/db.ts';
import { connectPostsDatabase } from '../subgraphs/posts/src/db.ts';
import { connectUsersDatabase } from '../subgraphs/users/src/db.ts';
import { DEMO_PASSWORD } from './demo-accounts.ts';
import { demoRows, type CommentRow, type DemoRowsOptions, type OrderRow, type PostRow, type ProductRow, type UserRow } from './demo-rows.ts';
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

const BATCH_SIZE = 5_000;

/**
 * Writes `rows` in batches of BATCH_SIZE, and reports at every tenth of the table: one line each,
 * which reads well in a terminal and in a CI log alike.
 */
async function insertInBatches<Row>(
  table: string,
  total: number,
  rows: Iterable<Row>,
  insert: (rows: Row[]) => Promise<unknown>,
  progress: (line: string) => void,
) {
  let done = 0;
  let reported = 0;
  let batch: Row[] = [];
  const flush = async () => {
    await insert(batch);
    done += batch.length;
    batch = [];
    const tenths = Math.floor((done * 10) / total);
    if (tenths > reported) {
      reported = tenths;
      progress(`${table}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} (${tenths * 10}%)`);
    }
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH_SIZE) await flush();
  }
  if (batch.length) await flush();
}

interface Database {
  $disconnect(): Promise<void>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** Every column of a table's rows, with its PostgreSQL type. */
type Columns<Row> = Record<keyof Row & string, string>;

/**
 * A batch insert into `table`: one statement that takes each column as one array parameter
 * (`unnest`). Prisma's createMany sends a VALUES list with a parameter per cell, 25,000 for a batch
 * of comments, which PostgreSQL parses and plans far more slowly: measured 10 times slower.
 */
function insertInto<Row>(db: Database, table: string, columns: Columns<Row>): (rows: Row[]) => Promise<number> {
  const names = Object.keys(columns) as (keyof Row & string)[];
  const arrays = names.map((name, index) => `$${index + 1}::${columns[name]}[]`).join(', ');
  const sql = `INSERT INTO "${table}" (${names.map((name) => `"${name}"`).join(', ')}) SELECT * FROM unnest(${arrays})`;
  return (rows) => db.$executeRawUnsafe(sql, ...names.map((name) => rows.map((row) => row[name])));
}

/** Explicit ids were inserted; move each id sequence past them so later inserts do not collide. */
async function advanceSequences(db: Database, tables: string[]) {
  for (const table of tables) {
    await db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST((SELECT MAX(id) FROM "${table}"), 1))`);
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

export interface SeedOptions extends DemoRowsOptions {
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

    const rows = demoRows(scale, options);
    const passwordHash = await hash(DEMO_PASSWORD);
    const started = Date.now();
    // Progress only where it is worth a line: the demo's few rows take a second.
    const large = Object.values(scale).some((count) => count > BATCH_SIZE);
    const progress = (line: string) => {
      if (large) log(`  ${line} [${((Date.now() - started) / 1000).toFixed(1)} s]`);
    };
    log(`Seeding ${(Object.entries(scale) as [string, number][]).map(([table, n]) => `${n.toLocaleString('en')} ${table}`).join(', ')}...`);

    // The three databases are written at the same time: while one works on a batch, this process
    // makes the next for another. Each table draws from its own generator, so the rows are the same.
    const insertUsers = insertInto<UserRow & { passwordHash: string }>(users, 'User', {
      id: 'int',
      name: 'text',
      email: 'text',
      role: '"Role"',
      passwordHash: 'text',
      createdAt: 'timestamptz',
    });
    const insertPosts = insertInto<PostRow>(posts, 'Post', { id: 'int', authorId: 'int', title: 'text', body: 'text', createdAt: 'timestamptz' });
    const insertComments = insertInto<CommentRow>(posts, 'Comment', {
      id: 'int',
      postId: 'int',
      authorId: 'int',
      text: 'text',
      createdAt: 'timestamptz',
    });
    const insertProducts = insertInto<ProductRow>(orders, 'Product', { id: 'int', name: 'text', priceCents: 'int', stock: 'int', createdAt: 'timestamptz' });
    const insertOrders = insertInto<OrderRow['order']>(orders, 'Order', {
      id: 'int',
      buyerId: 'int',
      status: '"OrderStatus"',
      totalCents: 'int',
      createdAt: 'timestamptz',
    });
    const insertItems = insertInto<OrderRow['items'][number]>(orders, 'OrderItem', {
      id: 'int',
      orderId: 'int',
      productId: 'int',
      quantity: 'int',
      unitPriceCents: 'int',
    });
    await Promise.all([
      (async () => {
        await insertInBatches('users', scale.users, rows.users(), (batch) => insertUsers(batch.map((user) => ({ ...user, passwordHash }))), progress);
        await advanceSequences(users, ['User']);
      })(),
      (async () => {
        await insertInBatches('posts', scale.posts, rows.posts(), insertPosts, progress);
        await insertInBatches('comments', scale.comments, rows.comments(), insertComments, progress);
        await advanceSequences(posts, ['Post', 'Comment']);
      })(),
      (async () => {
        await insertInBatches('products', scale.products, rows.products(), insertProducts, progress);
        await insertInBatches(
          'orders',
          scale.orders,
          rows.orders(),
          async (batch) => {
            await insertOrders(batch.map((row) => row.order));
            await insertItems(batch.flatMap((row) => row.items));
          },
          progress,
        );
        await advanceSequences(orders, ['Product', 'Order', 'OrderItem']);
      })(),
    ]);
    log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return true;
  } finally {
    await Promise.all([users.$disconnect(), posts.$disconnect(), orders.$disconnect()]);
  }
}
