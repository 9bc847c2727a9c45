// Unpaid orders do not hold stock forever: a PENDING order older than PENDING_ORDER_TTL_MINUTES
// becomes EXPIRED and its items go back in stock. EXPIRED rather than CANCELLED: the buyer and
// support can tell an order nobody paid for from one somebody cancelled, and a late payment is
// refused as ORDER_EXPIRED, which tells the payment integration what happened.
//
// Every orders replica sweeps on its own timer; they need no coordination. A batch takes its
// orders with FOR UPDATE SKIP LOCKED, so two sweeps never take the same order, and a sweep skips
// an order that a payment or a cancel is changing at that moment (the sweep after will see what
// that left). Expiring an order and putting its items back happen in one transaction: exactly
// once, or not at all.
import { environment, type EnvironmentSource } from '#lib/service/env.ts';
import { createLogger, type Logger } from '#lib/service/logger.ts';
import type { OrdersDatabase } from './db.ts';
import { publishOrderChanges } from './order-changes.ts';
import { putBackInStock } from './ordering.ts';

export interface OrderExpirySettings {
  /** How long a PENDING order holds its items before it expires. */
  ttlMinutes: number;
  /** How often each replica looks for orders to expire; an order expires at most this late. */
  sweepIntervalSeconds: number;
}

export const DEFAULT_ORDER_EXPIRY: OrderExpirySettings = { ttlMinutes: 30, sweepIntervalSeconds: 60 };

/** PENDING_ORDER_TTL_MINUTES and PENDING_ORDER_SWEEP_SECONDS; unset or empty takes the default. */
export function orderExpirySettingsFromEnv(source?: EnvironmentSource): OrderExpirySettings {
  const env = environment(source);
  return {
    ttlMinutes: env.PENDING_ORDER_TTL_MINUTES ?? DEFAULT_ORDER_EXPIRY.ttlMinutes,
    sweepIntervalSeconds: env.PENDING_ORDER_SWEEP_SECONDS ?? DEFAULT_ORDER_EXPIRY.sweepIntervalSeconds,
  };
}

/** Orders expired per transaction: enough to keep up, few enough to hold row locks briefly. */
const SWEEP_BATCH_SIZE = 100;

export interface ExpiredOrder {
  id: number;
  buyerId: number;
}

export interface SweepOptions {
  ttlMinutes: number;
  /** The sweep's clock: orders placed before `now` minus the TTL expire. */
  now: Date;
  batchSize?: number;
}

/**
 * Expires every PENDING order placed before `now` minus the TTL, batch by batch, and tells the
 * caches after each batch has committed, as a mutation does. Returns the orders it expired.
 */
export async function sweepUnpaidOrders(db: OrdersDatabase, { ttlMinutes, now, batchSize = SWEEP_BATCH_SIZE }: SweepOptions) {
  const cutoff = new Date(now.getTime() - ttlMinutes * 60_000);
  const expired: ExpiredOrder[] = [];
  for (;;) {
    const batch = await db.$transaction(async (tx) => {
      // Raw SQL for what Prisma's updateMany cannot say: a LIMIT, and skipping locked rows.
      const orders = await tx.$queryRaw<ExpiredOrder[]>`
        UPDATE "Order" SET status = 'EXPIRED'
        WHERE id IN (
          SELECT id FROM "Order"
          WHERE status = 'PENDING' AND "createdAt" < ${cutoff}
          ORDER BY "createdAt"
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING id, "buyerId"`;
      const productIds = orders.length
        ? await putBackInStock(
            tx,
            orders.map((order) => order.id),
          )
        : [];
      return { orders, productIds };
    });
    if (batch.orders.length) await publishOrderChanges(batch.orders, batch.productIds);
    expired.push(...batch.orders);
    if (batch.orders.length < batchSize) return expired;
  }
}

export interface SweeperOptions {
  /** Where the sweep reads the time (tests move it forward). */
  clock?: () => Date;
  logger?: Logger;
}

/**
 * Sweeps every `sweepIntervalSeconds`, the next sweep timed from the end of the last so that two
 * never overlap in one process. A failed sweep (the database away) is logged and tried again at
 * the next interval. Returns the function that stops it, after the sweep under way.
 */
export function startUnpaidOrderSweeper(
  db: OrdersDatabase,
  settings: OrderExpirySettings,
  { clock = () => new Date(), logger = createLogger('orders') }: SweeperOptions = {},
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let sweeping = Promise.resolve();
  const sweep = () => {
    sweeping = sweepUnpaidOrders(db, { ttlMinutes: settings.ttlMinutes, now: clock() })
      .then((expired) => {
        if (expired.length) logger.info({ expired: expired.length }, 'Expired unpaid orders and put their items back in stock.');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'Expiring unpaid orders failed; the next sweep tries again.'))
      .finally(scheduleNext);
  };
  function scheduleNext() {
    if (stopped) return;
    // Not a reason to keep the process alive: the server is.
    timer = setTimeout(sweep, settings.sweepIntervalSeconds * 1_000).unref();
  }
  scheduleNext();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await sweeping;
  };
}
