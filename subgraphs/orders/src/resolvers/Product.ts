import { parseId } from '../../../../lib/ids.ts';
import { loadByPublicId } from '../../../../lib/loaders.ts';
import type { ProductResolvers } from '../__generated__/resolvers-types.ts';

export const Product: ProductResolvers = {
  __resolveReference: ({ id }, { loaders }) => loadByPublicId(loaders.productById, parseId(id)),
};
