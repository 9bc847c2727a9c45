import { z } from 'zod';
import { requireOwnerOrAdmin, requireViewer, forbidden } from '#lib/service/auth.ts';
import { publishCacheInvalidation } from '#lib/service/cache-invalidation.ts';
import { domainError, ErrorCode, invalidInput } from '#lib/service/errors.ts';
import { parseId } from '#lib/subgraph/ids.ts';
import { parseInput } from '#lib/subgraph/validation.ts';
import type { MutationResolvers } from '../__generated__/resolvers-types.ts';
import type { Context } from '../context.ts';

const title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const body = z.string().trim().min(1, 'must not be empty').max(20_000, 'must be at most 20,000 characters');
const createPostInput = z.object({ title, body });
const updatePostInput = z
  .object({ title: title.nullish(), body: body.nullish() })
  .refine((input) => input.title != null || input.body != null, { error: 'must change the title or the body' });
const addCommentInput = z.object({
  postId: z.string(),
  text: z.string().trim().min(1, 'must not be empty').max(2_000, 'must be at most 2,000 characters'),
});

async function existingPost({ loaders }: Context, id: string) {
  const postId = parseId(id);
  const post = postId === null ? null : await loaders.postById.load(postId);
  if (!post) throw domainError(ErrorCode.NotFound, `There is no post with id "${id}".`);
  return post;
}

export const Mutation: MutationResolvers = {
  // Each mutation tells the gateways' caches what it changed once it is committed (lists of posts
  // gain or lose one: the type; the author's posts; the post itself).
  createPost: async (_, { input }, { db, viewer }) => {
    const author = requireViewer(viewer);
    const post = parseInput(createPostInput, input, 'input');
    const created = await db.post.create({ data: { ...post, authorId: author.id } });
    await publishCacheInvalidation({ type: 'Post' }, { type: 'User', id: author.id });
    return created;
  },

  updatePost: async (_, { id, input }, context) => {
    const changes = parseInput(updatePostInput, input, 'input');
    const post = await existingPost(context, id);
    requireOwnerOrAdmin(context.viewer, post.authorId, 'change this post');
    const updated = await context.db.post.update({
      where: { id: post.id },
      data: { title: changes.title ?? undefined, body: changes.body ?? undefined },
    });
    await publishCacheInvalidation({ type: 'Post', id: post.id });
    return updated;
  },

  deletePost: async (_, { id }, context) => {
    const post = await existingPost(context, id);
    requireOwnerOrAdmin(context.viewer, post.authorId, 'delete this post');
    await context.db.post.delete({ where: { id: post.id } });
    await publishCacheInvalidation({ type: 'Post', id: post.id }, { type: 'User', id: post.authorId });
    return String(post.id);
  },

  addComment: async (_, { input }, context) => {
    const author = requireViewer(context.viewer);
    const comment = parseInput(addCommentInput, input, 'input');
    const postId = parseId(comment.postId);
    const post = postId === null ? null : await context.loaders.postById.load(postId);
    if (!post) throw invalidInput([{ field: 'input.postId', message: 'is not the id of a post' }]);
    const created = await context.db.comment.create({ data: { postId: post.id, authorId: author.id, text: comment.text } });
    await publishCacheInvalidation({ type: 'Comment' }, { type: 'Post', id: post.id });
    return created;
  },

  deleteComment: async (_, { id }, { db, loaders, viewer }) => {
    const signedIn = requireViewer(viewer);
    const commentId = parseId(id);
    const comment = commentId === null ? null : await loaders.commentById.load(commentId);
    if (!comment) throw domainError(ErrorCode.NotFound, `There is no comment with id "${id}".`);
    const post = await loaders.postById.load(comment.postId);
    const allowed = signedIn.role === 'ADMIN' || signedIn.id === comment.authorId || signedIn.id === post?.authorId;
    if (!allowed) throw forbidden("Only the comment's author, the post's author or an admin may delete this comment.");
    await db.comment.delete({ where: { id: comment.id } });
    await publishCacheInvalidation({ type: 'Comment', id: comment.id }, { type: 'Post', id: comment.postId });
    return String(comment.id);
  },
};
