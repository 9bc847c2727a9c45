import { parseId } from '#lib/subgraph/ids.ts';
import { childConnection, emptyConnection } from '#lib/subgraph/pagination.ts';
import type { UserResolvers } from '../__generated__/resolvers-types.ts';

export const User: UserResolvers = {
  // The users service vouches for the user; this service only adds their posts.
  __resolveReference: (reference) => reference,
  posts: (user, args, { loaders }) => {
    const authorId = parseId(user.id);
    return authorId === null ? emptyConnection(args) : childConnection(args, authorId, loaders.postsByAuthor, loaders.postCountByAuthor);
  },
};
