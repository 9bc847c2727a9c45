import { childPagesLoader, countByParentLoader, rowsByIdLoader, type LoaderSettings } from '../../../lib/loaders.ts';
import { pageOfEachParentSql } from '../../../lib/pagination.ts';
import type { PostsDatabase } from './db.ts';
import type { CommentModel, PostModel } from './models.ts';

export type PostsLoaders = ReturnType<typeof createPostsLoaders>;

export function createPostsLoaders(db: PostsDatabase, settings: LoaderSettings) {
  return {
    postById: rowsByIdLoader(settings, (ids) => db.post.findMany({ where: { id: { in: ids } } })),
    commentById: rowsByIdLoader(settings, (ids) => db.comment.findMany({ where: { id: { in: ids } } })),
    postsByAuthor: childPagesLoader(
      settings,
      (post: PostModel) => post.authorId,
      (authorIds, page) => db.$queryRaw<PostModel[]>(pageOfEachParentSql('Post', 'authorId', authorIds, page)),
    ),
    postCountByAuthor: countByParentLoader(settings, async (authorIds) => {
      const groups = await db.post.groupBy({ by: ['authorId'], where: { authorId: { in: authorIds } }, _count: { _all: true } });
      return groups.map((group) => ({ parentId: group.authorId, count: group._count._all }));
    }),
    commentsByPost: childPagesLoader(
      settings,
      (comment: CommentModel) => comment.postId,
      (postIds, page) => db.$queryRaw<CommentModel[]>(pageOfEachParentSql('Comment', 'postId', postIds, page)),
    ),
    commentCountByPost: countByParentLoader(settings, async (postIds) => {
      const groups = await db.comment.groupBy({ by: ['postId'], where: { postId: { in: postIds } }, _count: { _all: true } });
      return groups.map((group) => ({ parentId: group.postId, count: group._count._all }));
    }),
  };
}
