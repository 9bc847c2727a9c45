import type { CountedConnection } from '#lib/subgraph/pagination.ts';
import type { Comment, Post } from './__generated__/prisma/client.ts';

export type PostModel = Post;
export type CommentModel = Comment;
export type PostConnectionModel = CountedConnection<PostModel>;
export type CommentConnectionModel = CountedConnection<CommentModel>;
/** A user as this service knows one: by id only; the users service resolves the rest. */
export interface UserReference {
  id: string;
}
