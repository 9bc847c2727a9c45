// Before each integration and end-to-end test file (vitest.config.ts: setupFiles): fresh copies of
// the seeded databases for its worker (see worker-databases.ts).
import { inject } from 'vitest';
import { copyTemplates } from './worker-databases.ts';
import './provided-context.ts';

await copyTemplates(inject('databaseTemplateUrls'));
