import { postgresAdapter } from '#lib/subgraph/prisma.ts';
import { PrismaClient } from './__generated__/prisma/client.ts';

export type UsersDatabase = PrismaClient;

export function connectUsersDatabase(databaseUrl: string): UsersDatabase {
  return new PrismaClient({ adapter: postgresAdapter(databaseUrl) });
}
