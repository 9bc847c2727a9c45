// What the global setup hands to the test files through `provide`/`inject`.
import type { DatabaseUrls } from '../prisma/postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrls: DatabaseUrls;
    databaseDescription: string;
  }
}
