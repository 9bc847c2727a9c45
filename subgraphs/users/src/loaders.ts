import { rowsByIdLoader, type LoaderSettings } from '#lib/subgraph/loaders.ts';
import type { UsersDatabase } from './db.ts';

export type UsersLoaders = ReturnType<typeof createUsersLoaders>;

export function createUsersLoaders(db: UsersDatabase, settings: LoaderSettings) {
  return {
    userById: rowsByIdLoader(settings, (ids) => db.user.findMany({ where: { id: { in: ids } } })),
  };
}
