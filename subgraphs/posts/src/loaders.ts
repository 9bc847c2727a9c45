import { childListLoaders, rowsByIdLoader, rowsWithIds, type LoaderSettings, type RawQuery } from '#lib/subgraph/loaders.ts';
import type { PostsDatabase } from './db.ts';
import type { CommentModel, PostModel } from './models.ts';

export type PostsLoaders = ReturnType<typeof createPostsLoaders>;

export function createPostsLoaders(db: PostsDatabase, settings: LoaderSettings) {
  const query: RawQuery = (sql) => db.$queryRaw(sql);
  const postsOfAuthors = childListLoaders<PostModel>(settings, query, 'Post', 'authorId');
  const commentsOfPosts = childListLoaders<CommentModel>(settings, query, 'Comment', 'postId');
  return {
    postById: rowsByIdLoader(settings, rowsWithIds<PostModel>(query, 'Post')),
    commentById: rowsByIdLoader(settings, rowsWithIds<CommentModel>(query, 'Comment')),
    postsByAuthor: postsOfAuthors.pages,
    postCountByAuthor: postsOfAuthors.counts,
    commentsByPost: commentsOfPosts.pages,
    commentCountByPost: commentsOfPosts.counts,
  };
}
