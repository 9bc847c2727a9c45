import { requireOwnerOrAdmin } from '#lib/service/auth.ts';
import { requireScopes } from '#lib/subgraph/authorization.ts';
import { parseId } from '#lib/subgraph/ids.ts';
import { loadByPublicId } from '#lib/subgraph/loaders.ts';
import type { OrderResolvers } from '../__generated__/resolvers-types.ts';
import type { Context } from '../context.ts';

/** The `@requiresScopes` of `Query.order` in schema.graphql. */
export const READ_ORDERS_SCOPES = [['orders:read']];

/**
 * The order with this id as the viewer may read it: its buyer or an admin, with orders:read. Both
 * ways in obey it: `Query.order`, and `_entities`, which anyone who reaches this service can call.
 * The scope is checked before the order is looked up, so that an anonymous caller learns nothing
 * of which orders exist.
 */
export async function readableOrder(id: string | number, { loaders, viewer }: Pick<Context, 'loaders' | 'viewer'>) {
  requireScopes(viewer, READ_ORDERS_SCOPES, 'an order');
  const order = await loadByPublicId(loaders.orderById, parseId(id));
  if (order) requireOwnerOrAdmin(viewer, order.buyerId, 'read this order');
  return order;
}

export const Order: OrderResolvers = {
  __resolveReference: ({ id }, context) => readableOrder(id, context),
  buyer: (order) => ({ id: String(order.buyerId) }),
  items: (order, _, { loaders }) => loaders.itemsByOrder.load(order.id),
};
