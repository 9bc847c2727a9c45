import { parseId } from '../../../../lib/ids.ts';
import { loadByPublicId } from '../../../../lib/loaders.ts';
import { afterPosition, NEWEST_FIRST, parsePageArgs, toConnection } from '../../../../lib/pagination.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

export const Query: QueryResolvers = {
  // Sessions arrive with the accounts issue; until then every request is anonymous.
  me: () => null,
  user: (_, { id }, { loaders }) => loadByPublicId(loaders.userById, parseId(id)),
  users: async (_, args, { db }) => {
    const page = parsePageArgs(args);
    const rows = await db.user.findMany({
      where: afterPosition(page.after),
      orderBy: NEWEST_FIRST,
      take: page.size + 1,
    });
    return { ...toConnection(rows, page.size), totalCount: () => db.user.count() };
  },
};
