import { parseId } from '../../../../lib/ids.ts';
import { loadByPublicId } from '../../../../lib/loaders.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import { productsPage } from '../pages.ts';

export const Query: QueryResolvers = {
  product: (_, { id }, { loaders }) => loadByPublicId(loaders.productById, parseId(id)),
  products: (_, args, context) => productsPage(context, args),
  order: (_, { id }, { loaders }) => loadByPublicId(loaders.orderById, parseId(id)),
};
