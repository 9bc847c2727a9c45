// REST equivalents of the posts service's queries: `GET /posts`, `/posts/:id`,
// `/posts/:id/comments` and `/users/:id/posts`. All public. This service knows users by id
// only, so an unknown user simply has no posts (200 with an empty page), as on the graph.
import type { Express } from 'express';
import { NEWEST_FIRST, afterPosition } from '#lib/subgraph/pagination.ts';
import { idParameter, notFound, pageParameters, pageReply, publicFor, restRoute, type RestServices } from '#lib/subgraph/rest.ts';
import type { PostsDatabase } from './db.ts';
import { createPostsLoaders } from './loaders.ts';
import type { CommentModel, PostModel } from './models.ts';

/** `Post` is hinted `maxAge: 300`. */
const POST_CACHING = publicFor(300);

function representPost(post: PostModel) {
  return {
    id: String(post.id),
    authorId: String(post.authorId),
    title: post.title,
    body: post.body,
    createdAt: post.createdAt.toISOString(),
  };
}

function representComment(comment: CommentModel) {
  return {
    id: String(comment.id),
    postId: String(comment.postId),
    authorId: String(comment.authorId),
    text: comment.text,
    createdAt: comment.createdAt.toISOString(),
  };
}

export function postsRestRoutes(app: Express, { db, verifyAccessToken }: RestServices<PostsDatabase>) {
  // The same loaders as the resolvers, so both APIs run the same SQL for the same data.
  const loaders = () => createPostsLoaders(db, { batch: true });

  app.get(
    '/posts',
    restRoute(verifyAccessToken, async ({ request }) => {
      const page = pageParameters(request);
      const rows = await db.post.findMany({ where: afterPosition(page.after), orderBy: NEWEST_FIRST, take: page.size + 1 });
      return pageReply(request, rows, page, representPost);
    }),
  );
  app.get(
    '/posts/:id',
    restRoute(verifyAccessToken, async ({ request }) => {
      const id = idParameter(request, 'post');
      const post = await loaders().postById.load(id);
      if (!post) throw notFound('post', id);
      return { body: representPost(post), caching: POST_CACHING };
    }),
  );
  app.get(
    '/posts/:id/comments',
    restRoute(verifyAccessToken, async ({ request }) => {
      const id = idParameter(request, 'post');
      const page = pageParameters(request);
      const { postById, commentsByPost } = loaders();
      // Both in the same tick: two statements, one round trip's worth of waiting.
      const [post, rows] = await Promise.all([postById.load(id), commentsByPost.load({ parentId: id, page })]);
      if (!post) throw notFound('post', id);
      return pageReply(request, rows, page, representComment);
    }),
  );
  app.get(
    '/users/:id/posts',
    restRoute(verifyAccessToken, async ({ request }) => {
      const page = pageParameters(request);
      const rows = await loaders().postsByAuthor.load({ parentId: idParameter(request, 'user'), page });
      return pageReply(request, rows, page, representPost);
    }),
  );
}
