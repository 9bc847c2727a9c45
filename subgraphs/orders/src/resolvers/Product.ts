import { parseId } from '#lib/subgraph/ids.ts';
import { loadByPublicId } from '#lib/subgraph/loaders.ts';
import type { ProductResolvers } from '../__generated__/resolvers-types.ts';

export const Product: ProductResolvers = {
  __resolveReference: ({ id }, { loaders }) => loadByPublicId(loaders.productById, parseId(id)),
};
