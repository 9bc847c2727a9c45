// Placing and cancelling orders: the stock rules, in transactions.
import { createHash } from 'node:crypto';
import { domainError, ErrorCode, invalidInput } from '../../../lib/errors.ts';
import type { OrdersDatabase } from './db.ts';
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
        throw domainError(
          ErrorCode.OutOfStock,
          `Only ${product.stock} of "${product.name}" left in stock; ${line.quantity} were asked for.`,
        );
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

const CANCELLABLE = ['PENDING', 'PAID'] as const;

/** Cancels an order that has not shipped and puts its items back in stock, all or nothing. */
export async function cancelOrder(db: OrdersDatabase, order: OrderModel): Promise<OrderModel> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.order.updateMany({
      where: { id: order.id, status: { in: [...CANCELLABLE] } },
      data: { status: 'CANCELLED' },
    });
    if (count === 0) {
      const current = await tx.order.findUniqueOrThrow({ where: { id: order.id } });
      throw domainError(
        ErrorCode.FailedPrecondition,
        current.status === 'CANCELLED' ? 'This order is already cancelled.' : 'This order has shipped and can no longer be cancelled.',
      );
    }
    const items = await tx.orderItem.findMany({ where: { orderId: order.id } });
    for (const item of items) {
      await tx.product.update({ where: { id: item.productId }, data: { stock: { increment: item.quantity } } });
    }
    return tx.order.findUniqueOrThrow({ where: { id: order.id } });
  });
}
