// The benchmarks' own databases: prefix bench_ on DATABASE_URL, or an embedded PostgreSQL under
// .data/postgres-bench, never the development or test ones; migrated and seeded at the benchmark
// scale (about 10 s the first time, then reused).
import { openDatabases, type Databases } from '../prisma/postgres.ts';
import { migrateDatabases } from '../prisma/schema-engine.ts';
import { SCALES, seedDatabases } from '../prisma/seed.ts';

const BENCH_EMBEDDED_DIR = '.data/postgres-bench';

export async function openBenchDatabases(log: (line: string) => void = console.log): Promise<Databases> {
  const env = { ...process.env, DATABASE_NAME_PREFIX: process.env.DATABASE_NAME_PREFIX ?? 'bench_' };
  const databases = await openDatabases({ env, embeddedDir: BENCH_EMBEDDED_DIR, embeddedPort: 0, log });
  try {
    log(`Benchmark databases: ${databases.description}`);
    await migrateDatabases(databases.urls);
    if (!(await seedDatabases(databases.urls, { scale: SCALES.bench, log }))) log('Benchmark data already seeded.');
    return databases;
  } catch (error) {
    await databases.stop();
    throw error;
  }
}
