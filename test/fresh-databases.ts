// Around each integration and end-to-end test file (vitest.config.ts: setupFiles): fresh copies of
// the seeded databases for it, dropped after its own `afterAll` hooks (see file-databases.ts).
import { afterAll, inject } from 'vitest';
import { copyTemplates, dropFileCopies } from './file-databases.ts';
import './provided-context.ts';

const templates = inject('databaseTemplateUrls');
await copyTemplates(templates);
afterAll(() => dropFileCopies(templates));
