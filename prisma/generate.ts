// Generates a subgraph's Prisma client with the stock Prisma CLI. The CLI wants its native schema
// engine even though `generate` never uses it, and that engine cannot be downloaded offline;
// pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips the download.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { SubgraphEntry } from '../subgraphs/manifest.ts';
import { prismaConfigPath } from './layout.ts';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');

export function generatePrismaClient(subgraph: SubgraphEntry): void {
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  execFileSync(process.execPath, [prismaCli, 'generate', '--config', prismaConfigPath(subgraph)], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
