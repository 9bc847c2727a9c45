// Where a subgraph keeps its database's description: the Prisma schema its manifest entry names,
// with `migrations/` and `prisma.config.ts` beside it, as Prisma lays them out.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, type SubgraphEntry } from '../subgraphs/manifest.ts';

export function schemaPath(subgraph: SubgraphEntry): string {
  return fileURLToPath(new URL(subgraph.prismaSchema, REPO_ROOT));
}

export function migrationsDir(subgraph: SubgraphEntry): string {
  return path.join(path.dirname(schemaPath(subgraph)), 'migrations');
}

/** What the stock Prisma CLI reads (`--config`): the schema, the migrations and the database URL. */
export function prismaConfigPath(subgraph: SubgraphEntry): string {
  return path.join(path.dirname(schemaPath(subgraph)), 'prisma.config.ts');
}
