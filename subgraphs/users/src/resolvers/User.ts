import { parseId } from '#lib/subgraph/ids.ts';
import { requireOwnerOrAdmin } from '#lib/service/auth.ts';
import { loadByPublicId } from '#lib/subgraph/loaders.ts';
import type { UserResolvers } from '../__generated__/resolvers-types.ts';

export const User: UserResolvers = {
  __resolveReference: ({ id }, { loaders }) => loadByPublicId(loaders.userById, parseId(id)),
  email: (user, _, { viewer }) => {
    requireOwnerOrAdmin(viewer, user.id, "read this user's email");
    return user.email;
  },
};
