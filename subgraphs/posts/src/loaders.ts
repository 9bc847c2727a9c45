import { rowsByIdLoader } from '../../../lib/loaders.ts';
import type { PostsDatabase } from './db.ts';

export type PostsLoaders = ReturnType<typeof createPostsLoaders>;

export function createPostsLoaders(db: PostsDatabase) {
  return {
    postById: rowsByIdLoader((ids) => db.post.findMany({ where: { id: { in: ids } } })),
    commentById: rowsByIdLoader((ids) => db.comment.findMany({ where: { id: { in: ids } } })),
  };
}
