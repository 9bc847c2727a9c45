import { parseId } from '../../../../lib/ids.ts';
import { emptyConnection } from '../../../../lib/pagination.ts';
import type { UserResolvers } from '../__generated__/resolvers-types.ts';
import { postsPage } from '../pages.ts';

export const User: UserResolvers = {
  // The users service vouches for the user; this service only adds their posts.
  __resolveReference: (reference) => reference,
  posts: (user, args, context) => {
    const authorId = parseId(user.id);
    return authorId === null ? emptyConnection(args) : postsPage(context, args, { authorId });
  },
};
