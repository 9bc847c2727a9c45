import { parseId } from '#lib/subgraph/ids.ts';
import { loadByPublicId } from '#lib/subgraph/loaders.ts';
import { childConnection } from '#lib/subgraph/pagination.ts';
import type { PostResolvers } from '../__generated__/resolvers-types.ts';

export const Post: PostResolvers = {
  __resolveReference: ({ id }, { loaders }) => loadByPublicId(loaders.postById, parseId(id)),
  author: (post) => ({ id: String(post.authorId) }),
  comments: (post, args, { loaders }) => childConnection(args, post.id, loaders.commentsByPost, loaders.commentCountByPost),
};
