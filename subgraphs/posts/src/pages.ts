// The paginated lists of this service, shared by the fields that expose them.
import { afterPosition, NEWEST_FIRST, parsePageArgs, toConnection, type PageArgs } from '../../../lib/pagination.ts';
import type { Context } from './context.ts';
import type { CommentConnectionModel, PostConnectionModel } from './models.ts';

export async function postsPage(
  { db }: Context,
  args: PageArgs,
  filter: { authorId?: number } = {},
): Promise<PostConnectionModel> {
  const page = parsePageArgs(args);
  const rows = await db.post.findMany({
    where: { ...filter, ...afterPosition(page.after) },
    orderBy: NEWEST_FIRST,
    take: page.size + 1,
  });
  return { ...toConnection(rows, page.size), totalCount: () => db.post.count({ where: filter }) };
}

export async function commentsPage({ db }: Context, args: PageArgs, postId: number): Promise<CommentConnectionModel> {
  const page = parsePageArgs(args);
  const rows = await db.comment.findMany({
    where: { postId, ...afterPosition(page.after) },
    orderBy: NEWEST_FIRST,
    take: page.size + 1,
  });
  return { ...toConnection(rows, page.size), totalCount: () => db.comment.count({ where: { postId } }) };
}
