// Placing, cancelling and paying orders: the stock rules, in transactions.
import { createHash } from 'node:crypto';
import { domainError, ErrorCode, invalidInput } from '#lib/service/errors.ts';
import type { OrdersDatabase } from './db.ts';
import type { Prisma } from './__generated__/prisma/client.ts';
import type { OrderModel } from './models.ts';

export interface OrderLine {
  productId: number;
  quantity: number;
}

const UNIQUE_VIOLATION = 'P2002';

/** The same lines in any order hash alike: a retry need not keep the client's order of lines. */
function requestHash(lines: OrderLine[]): string {
  const canonical = [...lines].sort((a, b) => a.productId - b.productId).map((line) => [line.productId, line.quantity]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function sameRequestOrConflict(order: OrderModel & { requestHash: string | null }, hash: string): OrderModel {
  if (order.requestHash !== hash) {
    throw domainError(ErrorCode.Conflict, 'This idempotency key was already used for a different order; use a new key.');
  }
  return order;
}

/**
 * Takes the stock of every line and records the order, all or nothing. Each line's stock is
 * taken by one conditional UPDATE (`stock >= quantity`), which PostgreSQL re-checks under the
 * row lock: concurrent orders queue on the row and can never sell more than there is. Lines are
 * taken in product order so that two orders never wait on each other's rows (no deadlock).
 */
export async function placeOrder(db: OrdersDatabase, buyerId: number, lines: OrderLine[], idempotencyKey: string): Promise<OrderModel> {
  const hash = requestHash(lines);
  const key = { buyerId_idempotencyKey: { buyerId, idempotencyKey } };
  const earlier = await db.order.findUnique({ where: key });
  if (earlier) return sameRequestOrConflict(earlier, hash);
  try {
    return await db.$transaction(async (tx) => {
      // Requests with the same key run one after another: a retry sent while the first attempt
      // is still running waits for it and then returns its order, instead of taking stock again
      // (and answering OUT_OF_STOCK for an order the client in fact has).
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${buyerId}::int, hashtext(${idempotencyKey}))`;
      const placed = await tx.order.findUnique({ where: key });
      if (placed) return sameRequestOrConflict(placed, hash);
      for (const line of [...lines].sort((a, b) => a.productId - b.productId)) {
        const { count } = await tx.product.updateMany({
          where: { id: line.productId, stock: { gte: line.quantity } },
          data: { stock: { decrement: line.quantity } },
        });
        if (count > 0) continue;
        const product = await tx.product.findUnique({ where: { id: line.productId } });
        if (!product) {
          const index = lines.indexOf(line);
          throw invalidInput([{ field: `input.items.${index}.productId`, message: 'is not the id of a product' }]);
        }
        throw domainError(ErrorCode.OutOfStock, `Only ${product.stock} of "${product.name}" left in stock; ${line.quantity} were asked for.`);
      }
      const products = await tx.product.findMany({ where: { id: { in: lines.map((line) => line.productId) } } });
      const price = new Map(products.map((product) => [product.id, product.priceCents]));
      const items = lines.map((line) => ({ ...line, unitPriceCents: price.get(line.productId)! }));
      return tx.order.create({
        data: {
          buyerId,
          idempotencyKey,
          requestHash: hash,
          totalCents: items.reduce((total, item) => total + item.quantity * item.unitPriceCents, 0),
          items: { create: items },
        },
      });
    });
  } catch (error) {
    // A concurrent retry with the same key won the race; its transaction is the order.
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    return sameRequestOrConflict(await db.order.findUniqueOrThrow({ where: key }), hash);
  }
}

/**
 * Puts the items of these orders back in stock; returns the products restocked. Each product is
 * updated in id order, the order in which placeOrder takes stock, so that a restock and an order
 * for the same products never wait on each other's rows (no deadlock).
 */
export async function putBackInStock(tx: Prisma.TransactionClient, orderIds: number[]): Promise<number[]> {
  const returned = await tx.orderItem.groupBy({
    by: ['productId'],
    where: { orderId: { in: orderIds } },
    _sum: { quantity: true },
    orderBy: { productId: 'asc' },
  });
  for (const { productId, _sum } of returned) {
    await tx.product.update({ where: { id: productId }, data: { stock: { increment: _sum.quantity ?? 0 } } });
  }
  return returned.map(({ productId }) => productId);
}

const EXPIRED_ORDER_CANCELLED = 'This order expired before it was paid; its items are already back in stock.';
const EXPIRED_ORDER_PAID = 'This order expired before it was paid, and its items went back in stock. Refund the payment; the buyer can place the order again.';

const CANCELLABLE = ['PENDING', 'PAID'] as const;

/** Cancels an order that has not shipped and puts its items back in stock, all or nothing. */
export async function cancelOrder(db: OrdersDatabase, order: OrderModel): Promise<OrderModel> {
  return db.$transaction(async (tx) => {
    // The conditional UPDATE waits for an expiry sweep holding the row, then sees its EXPIRED:
    // the items go back in stock once, whichever comes first.
    const { count } = await tx.order.updateMany({
      where: { id: order.id, status: { in: [...CANCELLABLE] } },
      data: { status: 'CANCELLED' },
    });
    if (count === 0) {
      const current = await tx.order.findUniqueOrThrow({ where: { id: order.id } });
      if (current.status === 'EXPIRED') throw domainError(ErrorCode.OrderExpired, EXPIRED_ORDER_CANCELLED);
      throw domainError(
        ErrorCode.FailedPrecondition,
        current.status === 'CANCELLED' ? 'This order is already cancelled.' : 'This order has shipped and can no longer be cancelled.',
      );
    }
    await putBackInStock(tx, [order.id]);
    return tx.order.findUniqueOrThrow({ where: { id: order.id } });
  });
}

/**
 * Records the payment of a PENDING order. Payment providers repeat their notifications, so an
 * order already paid (or shipped since) is answered as it is. The status alone decides: an order
 * past its TTL that no sweep has expired yet still holds its items and can be paid.
 */
export async function markOrderPaid(db: OrdersDatabase, order: OrderModel): Promise<OrderModel> {
  // Like cancelOrder's, this UPDATE and the sweep's take the order's row lock: one of them wins.
  await db.order.updateMany({ where: { id: order.id, status: 'PENDING' }, data: { status: 'PAID' } });
  const current = await db.order.findUniqueOrThrow({ where: { id: order.id } });
  if (current.status === 'EXPIRED') throw domainError(ErrorCode.OrderExpired, EXPIRED_ORDER_PAID);
  if (current.status === 'CANCELLED') {
    throw domainError(ErrorCode.FailedPrecondition, 'This order was cancelled and can no longer be paid; refund the payment.');
  }
  return current;
}
