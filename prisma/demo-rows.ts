// The rows of the demo and benchmark data, without a database: who joined when, who wrote and
// bought what, and in which state each order is. Deterministic: each table draws from a Faker of
// its own with a fixed seed, and every date is counted back from a fixed "today", so the same
// scale gives the same rows on any machine and any day. The one exception is the few PENDING
// orders: an unpaid order is minutes old by nature, and one dated by the fixed calendar would be
// expired by the first sweep (PENDING_ORDER_TTL_MINUTES), so they are dated from the seed's clock.
import type { Faker } from '@faker-js/faker';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';
import { commentText, personName, postText, productText, seededFaker, TOPIC_COUNT, uniqueEmail } from './demo-content.ts';
import type { SeedScale } from './seed.ts';

// The demo accounts are users 1, 2 and 3, in their order.
const BOB_ID = 2;
const CAROL_ID = 3;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The demo's today: the newest post, comment and paid order are from just before it. */
export const DEMO_TODAY = Date.UTC(2026, 10, 30, 18);
/** Posts, comments and orders span the year before DEMO_TODAY ... */
const FIRST_POST = DEMO_TODAY - 365 * DAY;
/** ... and the members and the catalogue were there in the two months before. */
const OPENING = FIRST_POST - 60 * DAY;

/** Row `index` of `count`, spread evenly from `from` to `to` with some jitter, in index order. */
function spread(faker: Faker, from: number, to: number, index: number, count: number): number {
  return Math.floor(from + ((index + faker.number.float({ min: 0, max: 0.999 })) * (to - from)) / count);
}

/** The same value on every call, computed on the first. */
function once<Value>(compute: () => Value): () => Value {
  let value: Value | undefined;
  return () => (value ??= compute());
}

export interface UserRow {
  id: number;
  name: string;
  email: string;
  role: 'ADMIN' | 'USER';
  createdAt: Date;
}

export interface PostRow {
  id: number;
  authorId: number;
  title: string;
  body: string;
  createdAt: Date;
}

export interface CommentRow {
  id: number;
  postId: number;
  authorId: number;
  text: string;
  createdAt: Date;
}

export interface ProductRow {
  id: number;
  name: string;
  priceCents: number;
  stock: number;
  createdAt: Date;
}

type OrderStatus = 'PENDING' | 'PAID' | 'SHIPPED' | 'CANCELLED' | 'EXPIRED';

export interface OrderRow {
  order: { id: number; buyerId: number; status: OrderStatus; totalCents: number; createdAt: Date };
  items: { id: number; orderId: number; productId: number; quantity: number; unitPriceCents: number }[];
}

export interface DemoRowsOptions {
  /** The seed's clock, for the PENDING orders only; the real one by default. */
  now?: Date;
}

/** Unpaid orders, placed in the last 10 minutes: 1 in 200, at least 4 (Bob's among them). */
export function pendingOrderCount(orders: number): number {
  return Math.min(orders, Math.max(4, Math.round(orders / 200)));
}
const PENDING_WINDOW = 10 * MINUTE;

/** Generators of each table's rows, in id order; each call starts again from the first row. */
export function demoRows(scale: SeedScale, { now = new Date() }: DemoRowsOptions = {}) {
  const randomUser = (faker: Faker) => faker.number.int({ min: 1, max: scale.users });

  // When each post was written, about what and by whom: read again by the comments.
  const postPlan = once(() => {
    const faker = seededFaker(2);
    const createdAt = new Float64Array(scale.posts);
    const topic = new Uint8Array(scale.posts);
    const authorId = new Int32Array(scale.posts);
    for (let index = 0; index < scale.posts; index++) {
      createdAt[index] = spread(faker, FIRST_POST, DEMO_TODAY, index, scale.posts);
      topic[index] = faker.number.int({ max: TOPIC_COUNT - 1 });
      // Carol writes a tenth of everything, so her profile shows a writer's.
      authorId[index] = faker.datatype.boolean(0.1) ? CAROL_ID : randomUser(faker);
    }
    return { createdAt, topic, authorId };
  });

  const products = once((): ProductRow[] => {
    const faker = seededFaker(5);
    const names = new Set<string>();
    return Array.from({ length: scale.products }, (_, index) => {
      const id = index + 1;
      // A name of its own while the catalogue has one to give (a demo's 40 do; a benchmark's 1,000 repeat some).
      let product = productText(faker, index);
      for (let tries = 0; names.has(product.name) && tries < 10; tries++) product = productText(faker, index);
      names.add(product.name);
      // A few are sold out, as in any shop, but never the first ten, which examples and tests order.
      const soldOut = id > 10 && faker.datatype.boolean(0.05);
      return {
        id,
        ...product,
        stock: soldOut
          ? 0
          : faker.helpers.weightedArrayElement([
              { weight: 1, value: faker.number.int({ min: 1, max: 9 }) },
              { weight: 6, value: faker.number.int({ min: 10, max: 250 }) },
            ]),
        createdAt: new Date(spread(faker, OPENING, FIRST_POST, index, scale.products)),
      };
    });
  });

  return {
    *users(): Generator<UserRow> {
      const faker = seededFaker(1);
      const taken = new Set<string>(DEMO_ACCOUNTS.map((account) => account.email));
      for (let index = 0; index < scale.users; index++) {
        const account = DEMO_ACCOUNTS[index];
        const name = account?.name ?? personName(faker);
        yield {
          id: index + 1,
          name,
          email: account?.email ?? uniqueEmail(faker, name, taken),
          role: account?.role ?? 'USER',
          createdAt: new Date(spread(faker, OPENING, FIRST_POST, index, scale.users)),
        };
      }
    },

    *posts(): Generator<PostRow> {
      const faker = seededFaker(3);
      const plan = postPlan();
      const titles = new Set<string>();
      for (let index = 0; index < scale.posts; index++) {
        // A title of its own while there are titles to give (the demo's 300 all have one).
        let text = postText(faker, plan.topic[index]!);
        for (let tries = 0; titles.has(text.title) && tries < 10; tries++) text = postText(faker, plan.topic[index]!);
        titles.add(text.title);
        yield { id: index + 1, authorId: plan.authorId[index]!, ...text, createdAt: new Date(plan.createdAt[index]!) };
      }
    },

    *comments(): Generator<CommentRow> {
      const faker = seededFaker(4);
      const plan = postPlan();
      const postIndex = new Int32Array(scale.comments);
      const createdAt = new Float64Array(scale.comments);
      for (let index = 0; index < scale.comments; index++) {
        const post = faker.number.int({ max: scale.posts - 1 });
        const written = plan.createdAt[post]!;
        // Most comments come within hours, a few days later: 10 minutes times 2^0 to 2^10 (a week).
        const delay = 10 * MINUTE * 2 ** faker.number.float({ min: 0, max: 10 });
        // A post from the last week gets its comments squeezed into the time until today.
        const room = Math.min(1, (DEMO_TODAY - written) / (10_240 * MINUTE));
        postIndex[index] = post;
        createdAt[index] = Math.floor(written + 1 + delay * room);
      }
      // Ids in the order the comments were written, as the database would have numbered them.
      const byTime = Array.from({ length: scale.comments }, (_, index) => index).sort((a, b) => createdAt[a]! - createdAt[b]! || a - b);
      for (const [rank, index] of byTime.entries()) {
        const post = postIndex[index]!;
        yield {
          id: rank + 1,
          postId: post + 1,
          authorId: randomUser(faker),
          text: commentText(faker, plan.topic[post]!),
          createdAt: new Date(createdAt[index]!),
        };
      }
    },

    *products(): Generator<ProductRow> {
      yield* products();
    },

    *orders(): Generator<OrderRow> {
      const faker = seededFaker(6);
      const catalogue = products();
      const pending = pendingOrderCount(scale.orders);
      const settled = scale.orders - pending;
      let itemId = 0;
      for (let index = 0; index < scale.orders; index++) {
        const id = index + 1;
        const isPending = index >= settled;
        // A growing shop: more orders every month, so the last days hold a few that are paid and not yet shipped.
        const createdAt = isPending
          ? spread(faker, now.getTime() - PENDING_WINDOW, now.getTime(), index - settled, pending)
          : FIRST_POST + Math.floor((DEMO_TODAY - FIRST_POST) * (1 - (1 - (index + faker.number.float({ max: 0.999 })) / settled) ** 1.5));
        const status: OrderStatus = isPending
          ? 'PENDING'
          : DEMO_TODAY - createdAt < 3 * DAY
            ? faker.helpers.weightedArrayElement([
                { weight: 8, value: 'PAID' },
                { weight: 1, value: 'SHIPPED' },
                { weight: 1, value: 'CANCELLED' },
              ])
            : faker.helpers.weightedArrayElement([
                { weight: 84, value: 'SHIPPED' },
                { weight: 8, value: 'CANCELLED' },
                { weight: 8, value: 'EXPIRED' },
              ]);
        const lines = faker.helpers.weightedArrayElement([
          { weight: 6, value: 1 },
          { weight: 3, value: 2 },
          { weight: 1, value: 3 },
        ]);
        // Sorted, as placeOrder stores an order's lines.
        const productIds = [...new Set(Array.from({ length: lines }, () => faker.number.int({ min: 1, max: scale.products })))].sort((a, b) => a - b);
        const items = productIds.map((productId) => ({
          id: ++itemId,
          orderId: id,
          productId,
          quantity: faker.helpers.weightedArrayElement([
            { weight: 7, value: 1 },
            { weight: 2, value: 2 },
            { weight: 1, value: faker.number.int({ min: 3, max: 4 }) },
          ]),
          unitPriceCents: catalogue[productId - 1]!.priceCents,
        }));
        yield {
          order: {
            id,
            // Bob's is the newest order, placed minutes ago and not paid yet; he buys a twentieth of the rest.
            buyerId: id === scale.orders || faker.datatype.boolean(0.05) ? BOB_ID : randomUser(faker),
            status,
            totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
            createdAt: new Date(createdAt),
          },
          items,
        };
      }
    },
  };
}
