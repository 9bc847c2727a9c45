// Before any test: the test databases (a configured server when DATABASE_URL or the per-service
// URLs are set, otherwise an embedded PostgreSQL of the tests' own), migrated and freshly seeded.
import type { TestProject } from 'vitest/node';
import './provided-context.ts';
import { openDatabases, portSetting, type Databases } from '../prisma/postgres.ts';
import { applyMigrations } from '../prisma/schema-engine.ts';
import { SCALES, seedDatabases } from '../prisma/seed.ts';
import { SERVICE_NAMES } from '../prisma/services.ts';

async function prepareDatabases(): Promise<Databases> {
  const databases = await openDatabases({
    // Never the development databases: test ones beside them, or a separate embedded cluster.
    env: { ...process.env, DATABASE_NAME_PREFIX: process.env.DATABASE_NAME_PREFIX ?? 'test_' },
    embeddedDir: process.env.TEST_EMBEDDED_POSTGRES_DIR ?? '.data/postgres-test',
    embeddedPort: portSetting(process.env, 'TEST_EMBEDDED_POSTGRES_PORT') ?? 0,
  });
  try {
    for (const service of SERVICE_NAMES) await applyMigrations(service, databases.urls[service]);
    await seedDatabases(databases.urls, { scale: SCALES.demo, reset: true });
    return databases;
  } catch (error) {
    await databases.stop();
    throw error;
  }
}

export default async function setup(project: TestProject) {
  const databases = await prepareDatabases().catch((error: unknown) => {
    // vitest reports a failed global setup as "No test files found" first and the error later;
    // this line comes before both.
    console.error(`\nNo test ran: the test databases could not be prepared.\n${error instanceof Error ? error.message : String(error)}\n`);
    throw error;
  });
  console.log(`Tests run on ${databases.description}.`);
  project.provide('databaseUrls', databases.urls);
  project.provide('databaseDescription', databases.description);
  return () => databases.stop();
}
