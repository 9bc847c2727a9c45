import { rowsByIdLoader } from '../../../lib/loaders.ts';
import type { UsersDatabase } from './db.ts';

export type UsersLoaders = ReturnType<typeof createUsersLoaders>;

export function createUsersLoaders(db: UsersDatabase) {
  return {
    userById: rowsByIdLoader((ids) => db.user.findMany({ where: { id: { in: ids } } })),
  };
}
