import { postgresAdapter } from '#lib/subgraph/prisma.ts';
import { PrismaClient } from './__generated__/prisma/client.ts';

export type OrdersDatabase = PrismaClient;

export function connectOrdersDatabase(databaseUrl: string): OrdersDatabase {
  return new PrismaClient({ adapter: postgresAdapter(databaseUrl) });
}
