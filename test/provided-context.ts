// What the global setup hands to the test files through `provide`/`inject`.
import type { DatabaseUrls } from '../prisma/postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated and seeded databases that each test file gets a copy of; tests never connect to them. */
    databaseTemplateUrls: DatabaseUrls;
  }
}
