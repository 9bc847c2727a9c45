import { parseId } from '#lib/subgraph/ids.ts';
import { loadByPublicId } from '#lib/subgraph/loaders.ts';
import type { CommentResolvers } from '../__generated__/resolvers-types.ts';

export const Comment: CommentResolvers = {
  __resolveReference: ({ id }, { loaders }) => loadByPublicId(loaders.commentById, parseId(id)),
  author: (comment) => ({ id: String(comment.authorId) }),
  post: async (comment, _, { loaders }) => {
    const post = await loaders.postById.load(comment.postId);
    // The foreign key guarantees the post; its absence means a broken database, not bad input.
    if (!post) throw new Error(`Comment ${comment.id} refers to missing post ${comment.postId}`);
    return post;
  },
};
