import { PrismaPg } from '@prisma/adapter-pg';

/** The driver adapter every subgraph's Prisma client runs on: node-postgres, pooled. */
export function postgresAdapter(databaseUrl: string): PrismaPg {
  return new PrismaPg({ connectionString: databaseUrl });
}
