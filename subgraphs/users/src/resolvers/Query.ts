import { parseId } from '#lib/subgraph/ids.ts';
import { loadByPublicId } from '#lib/subgraph/loaders.ts';
import { NEWEST_FIRST, rootConnection } from '#lib/subgraph/pagination.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

export const Query: QueryResolvers = {
  me: (_, __, { viewer, loaders }) => (viewer ? loaders.userById.load(viewer.id) : null),
  user: (_, { id }, { loaders }) => loadByPublicId(loaders.userById, parseId(id)),
  users: (_, args, { db }) =>
    rootConnection(
      args,
      (where, take) => db.user.findMany({ where, orderBy: NEWEST_FIRST, take }),
      () => db.user.count(),
    ),
};
