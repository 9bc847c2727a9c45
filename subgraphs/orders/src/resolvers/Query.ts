import { requireOwnerOrAdmin } from '../../../../lib/auth.ts';
import { parseId } from '../../../../lib/ids.ts';
import { loadByPublicId } from '../../../../lib/loaders.ts';
import { NEWEST_FIRST, rootConnection } from '../../../../lib/pagination.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

export const Query: QueryResolvers = {
  product: (_, { id }, { loaders }) => loadByPublicId(loaders.productById, parseId(id)),
  products: (_, args, { db }) =>
    rootConnection(
      args,
      (where, take) => db.product.findMany({ where, orderBy: NEWEST_FIRST, take }),
      () => db.product.count(),
    ),
  order: async (_, { id }, { loaders, viewer }) => {
    const order = await loadByPublicId(loaders.orderById, parseId(id));
    if (order) requireOwnerOrAdmin(viewer, order.buyerId, 'read this order');
    return order;
  },
};
