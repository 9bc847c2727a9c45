import { postgresAdapter } from '#lib/subgraph/prisma.ts';
import { PrismaClient } from './__generated__/prisma/client.ts';

export type PostsDatabase = PrismaClient;

export function connectPostsDatabase(databaseUrl: string): PostsDatabase {
  return new PrismaClient({ adapter: postgresAdapter(databaseUrl) });
}
