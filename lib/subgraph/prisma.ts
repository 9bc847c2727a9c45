import { PrismaPg } from '@prisma/adapter-pg';
import { environment, type EnvironmentSource } from '#lib/service/env.ts';
import { countingAdapterFactory } from './sql-statements.ts';

/**
 * The driver adapter every subgraph's Prisma client runs on: node-postgres, pooled, counted.
 * Bounded: DATABASE_POOL_SIZE connections per service (default 10), each statement stopped by
 * PostgreSQL after DATABASE_STATEMENT_TIMEOUT_MS (default 5,000, the gateway's operation
 * timeout: past it nobody waits for the answer), and a connection waited for at most 5 s.
 */
export function postgresAdapter(databaseUrl: string, source?: EnvironmentSource): PrismaPg {
  const env = environment(source);
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  return countingAdapterFactory(
    new PrismaPg({
      connectionString: databaseUrl,
      max: env.DATABASE_POOL_SIZE,
      statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
      connectionTimeoutMillis: 5_000,
    }),
    database,
  );
}
