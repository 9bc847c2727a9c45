import { parseId } from '../../../../lib/ids.ts';
import { emptyConnection } from '../../../../lib/pagination.ts';
import type { UserResolvers } from '../__generated__/resolvers-types.ts';
import { ordersPage } from '../pages.ts';

export const User: UserResolvers = {
  // The users service vouches for the user; this service only adds their orders.
  __resolveReference: (reference) => reference,
  orders: (user, args, context) => {
    const buyerId = parseId(user.id);
    return buyerId === null ? emptyConnection(args) : ordersPage(context, args, buyerId);
  },
};
