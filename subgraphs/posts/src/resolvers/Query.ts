import { parseId } from '#lib/subgraph/ids.ts';
import { loadByPublicId } from '#lib/subgraph/loaders.ts';
import { NEWEST_FIRST, rootConnection } from '#lib/subgraph/pagination.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

export const Query: QueryResolvers = {
  post: (_, { id }, { loaders }) => loadByPublicId(loaders.postById, parseId(id)),
  posts: (_, args, { db }) =>
    rootConnection(
      args,
      (where, take) => db.post.findMany({ where, orderBy: NEWEST_FIRST, take }),
      () => db.post.count(),
    ),
};
