import { parseId } from '../../../../lib/ids.ts';
import { loadByPublicId } from '../../../../lib/loaders.ts';
import type { PostResolvers } from '../__generated__/resolvers-types.ts';
import { commentsPage } from '../pages.ts';

export const Post: PostResolvers = {
  __resolveReference: ({ id }, { loaders }) => loadByPublicId(loaders.postById, parseId(id)),
  author: (post) => ({ id: String(post.authorId) }),
  comments: (post, args, context) => commentsPage(context, args, post.id),
};
