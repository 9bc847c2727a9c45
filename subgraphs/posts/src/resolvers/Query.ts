import { parseId } from '../../../../lib/ids.ts';
import { loadByPublicId } from '../../../../lib/loaders.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import { postsPage } from '../pages.ts';

export const Query: QueryResolvers = {
  post: (_, { id }, { loaders }) => loadByPublicId(loaders.postById, parseId(id)),
  posts: (_, args, context) => postsPage(context, args),
};
