import { rowsByIdLoader, rowsWithIds, type LoaderSettings, type RawQuery } from '#lib/subgraph/loaders.ts';
import type { UsersDatabase } from './db.ts';
import type { UserModel } from './models.ts';

export type UsersLoaders = ReturnType<typeof createUsersLoaders>;

export function createUsersLoaders(db: UsersDatabase, settings: LoaderSettings) {
  const query: RawQuery = (sql) => db.$queryRaw(sql);
  return {
    userById: rowsByIdLoader(settings, rowsWithIds<UserModel>(query, 'User')),
  };
}
