import { PrismaPg } from '@prisma/adapter-pg';
import { countingAdapterFactory } from './sql-statements.ts';

/** The driver adapter every subgraph's Prisma client runs on: node-postgres, pooled, counted. */
export function postgresAdapter(databaseUrl: string): PrismaPg {
  return countingAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
}
