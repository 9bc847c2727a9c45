import { requireOwnerOrAdmin } from '#lib/service/auth.ts';
import { parseId } from '#lib/subgraph/ids.ts';
import { childConnection, emptyConnection } from '#lib/subgraph/pagination.ts';
import type { UserResolvers } from '../__generated__/resolvers-types.ts';

export const User: UserResolvers = {
  // The users service vouches for the user; this service only adds their orders.
  __resolveReference: (reference) => reference,
  orders: (user, args, { loaders, viewer }) => {
    const buyerId = parseId(user.id);
    requireOwnerOrAdmin(viewer, buyerId ?? 0, "read this user's orders");
    return buyerId === null ? emptyConnection(args) : childConnection(args, buyerId, loaders.ordersByBuyer, loaders.orderCountByBuyer);
  },
};
