import { z } from 'zod';
import { requireOwnerOrAdmin, requireViewer } from '#lib/service/auth.ts';
import { domainError, ErrorCode } from '#lib/service/errors.ts';
import { parseId } from '#lib/subgraph/ids.ts';
import { loadByPublicId } from '#lib/subgraph/loaders.ts';
import { parseInput } from '#lib/subgraph/validation.ts';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';
import type { OrdersLoaders } from '../loaders.ts';
import { publishOrderChanges } from '../order-changes.ts';
import { cancelOrder, markOrderPaid, placeOrder } from '../ordering.ts';

const placeOrderInput = z
  .object({
    items: z
      .array(
        z.object({
          productId: z.string().transform((id, context) => {
            const parsed = parseId(id);
            if (parsed === null) context.addIssue({ code: 'custom', message: 'is not the id of a product' });
            return parsed ?? 0;
          }),
          quantity: z.number().int().min(1, 'must be at least 1').max(1_000, 'must be at most 1,000'),
        }),
      )
      .min(1, 'must have at least one line')
      .max(50, 'must have at most 50 lines'),
  })
  .superRefine(({ items }, context) => {
    const seen = new Set<number>();
    items.forEach((item, index) => {
      if (seen.has(item.productId)) {
        context.addIssue({ code: 'custom', path: ['items', index, 'productId'], message: 'appears twice; add the quantities' });
      }
      seen.add(item.productId);
    });
  });
const idempotencyKey = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may hold letters, digits and _ . : - only');

async function existingOrder(loaders: OrdersLoaders, id: string) {
  const order = await loadByPublicId(loaders.orderById, parseId(id));
  if (!order) throw domainError(ErrorCode.NotFound, `There is no order with id "${id}".`);
  return order;
}

export const Mutation: MutationResolvers = {
  // Both change stock: the products' cached fields go, with the buyer's orders and the order.
  placeOrder: async (_, args, { db, viewer }) => {
    const buyer = requireViewer(viewer);
    const { items } = parseInput(placeOrderInput, args.input, 'input');
    const key = parseInput(idempotencyKey, args.idempotencyKey, 'idempotencyKey');
    const order = await placeOrder(db, buyer.id, items, key);
    await publishOrderChanges(
      [order],
      items.map((item) => item.productId),
    );
    return order;
  },

  cancelOrder: async (_, { id }, { db, loaders, viewer }) => {
    const order = await existingOrder(loaders, id);
    requireOwnerOrAdmin(viewer, order.buyerId, 'cancel this order');
    const cancelled = await cancelOrder(db, order);
    const items = await loaders.itemsByOrder.load(order.id);
    await publishOrderChanges(
      [order],
      items.map((item) => item.productId),
    );
    return cancelled;
  },

  // `@requiresScopes(admin)` in the schema: the payment integration's token, never a buyer's.
  markOrderPaid: async (_, { id }, { db, loaders }) => {
    const paid = await markOrderPaid(db, await existingOrder(loaders, id));
    await publishOrderChanges([paid], []);
    return paid;
  },
};
