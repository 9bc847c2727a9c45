import type { OrderItemResolvers } from '../__generated__/resolvers-types.ts';

export const OrderItem: OrderItemResolvers = {
  product: async (item, _, { loaders }) => {
    const product = await loaders.productById.load(item.productId);
    // The foreign key guarantees the product; its absence means a broken database, not bad input.
    if (!product) throw new Error(`Order item ${item.id} refers to missing product ${item.productId}`);
    return product;
  },
};
