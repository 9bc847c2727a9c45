// Before the tests that need PostgreSQL (the integration and e2e projects; unit tests run without
// it): the test databases (a configured server when DATABASE_URL or the per-service URLs are set,
// otherwise an embedded PostgreSQL of the tests' own), migrated and freshly seeded, as the templates
// that each test file gets copies of (see file-databases.ts).
import type { TestProject } from 'vitest/node';
import './provided-context.ts';
import type { Databases } from '../prisma/postgres.ts';
import { dropLeftoverCopies } from './file-databases.ts';

async function prepareDatabases(): Promise<Databases> {
  // Loaded here, by the first project only (see below): vitest loads this file once per project,
  // each time with modules of its own, and these register process-wide metrics, which may exist once.
  const [{ openDatabases, portSetting }, { migrateDatabases }, { SCALES, seedDatabases }] = await Promise.all([
    import('../prisma/postgres.ts'),
    import('../prisma/schema-engine.ts'),
    import('../prisma/seed.ts'),
  ]);
  const databases = await openDatabases({
    // Never the development databases: test ones beside them, or a separate embedded cluster.
    env: { ...process.env, DATABASE_NAME_PREFIX: process.env.DATABASE_NAME_PREFIX ?? 'test_' },
    embeddedDir: process.env.TEST_EMBEDDED_POSTGRES_DIR ?? '.data/postgres-test',
    embeddedPort: portSetting(process.env, 'TEST_EMBEDDED_POSTGRES_PORT') ?? 0,
  });
  try {
    await migrateDatabases(databases.urls);
    await seedDatabases(databases.urls, { scale: SCALES.demo, reset: true });
    return databases;
  } catch (error) {
    await databases.stop();
    throw error;
  }
}

function prepareOrExplain(): Promise<Databases> {
  return prepareDatabases().catch((error: unknown) => {
    // vitest reports a failed global setup as "No test files found" first and the error later;
    // this line comes before both.
    console.error(`\nNo test ran: the test databases could not be prepared.\n${error instanceof Error ? error.message : String(error)}\n`);
    throw error;
  });
}

// Both projects that need PostgreSQL name this file, and vitest runs it for each, in this one
// process: the first prepares the databases, the second reuses them, the last teardown stops them.
const SHARED = Symbol.for('test/global-setup.ts');
interface Shared {
  databases: Promise<Databases>;
  projects: number;
}

export default async function setup(project: TestProject) {
  const holder = globalThis as { [SHARED]?: Shared };
  const first = !holder[SHARED];
  const shared = (holder[SHARED] ??= { databases: prepareOrExplain(), projects: 0 });
  shared.projects++;
  const databases = await shared.databases;
  if (first) console.log(`Tests run on ${databases.description}.`);
  project.provide('databaseTemplateUrls', databases.urls);
  return async () => {
    if (--shared.projects > 0) return;
    delete holder[SHARED];
    try {
      await dropLeftoverCopies(databases.urls);
    } finally {
      await databases.stop();
    }
  };
}
