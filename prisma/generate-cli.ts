// `npm run db:generate`, and after every install: the Prisma client of each subgraph in
// subgraphs/manifest.ts, written where its schema.prisma's generator says.
import { SUBGRAPHS } from '../subgraphs/manifest.ts';
import { generatePrismaClient } from './generate.ts';

for (const subgraph of SUBGRAPHS) generatePrismaClient(subgraph);
console.log(`Generated the Prisma clients of ${SUBGRAPHS.map(({ name }) => name).join(', ')}.`);
