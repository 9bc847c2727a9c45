import { parseId } from '#lib/subgraph/ids.ts';
import { loadByPublicId } from '#lib/subgraph/loaders.ts';
import { NEWEST_FIRST, rootConnection } from '#lib/subgraph/pagination.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import { readableOrder } from './Order.ts';

export const Query: QueryResolvers = {
  product: (_, { id }, { loaders }) => loadByPublicId(loaders.productById, parseId(id)),
  products: (_, args, { db }) =>
    rootConnection(
      args,
      (where, take) => db.product.findMany({ where, orderBy: NEWEST_FIRST, take }),
      () => db.product.count(),
    ),
  order: (_, { id }, context) => readableOrder(id, context),
};
