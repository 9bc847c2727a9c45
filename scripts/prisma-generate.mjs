// Generates the three Prisma clients (run after install). The Prisma CLI wants its native schema
// engine even though `generate` never uses it, and that engine cannot be downloaded offline;
// pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips the download.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
for (const service of ['users', 'posts', 'orders']) {
  execFileSync(process.execPath, [prismaCli, 'generate', '--config', `prisma/${service}/prisma.config.ts`], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
console.log('Generated the Prisma clients of users, posts and orders.');
