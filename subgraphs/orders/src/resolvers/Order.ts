import { parseId } from '../../../../lib/ids.ts';
import { loadByPublicId } from '../../../../lib/loaders.ts';
import type { OrderResolvers } from '../__generated__/resolvers-types.ts';

export const Order: OrderResolvers = {
  __resolveReference: ({ id }, { loaders }) => loadByPublicId(loaders.orderById, parseId(id)),
  buyer: (order) => ({ id: String(order.buyerId) }),
  items: (order, _, { loaders }) => loaders.itemsByOrder.load(order.id),
};
