// `npm run db:migrate`: applies, checks or writes migrations with Prisma's WebAssembly schema engine.
import path from 'node:path';
import { listed as listedWith } from '#lib/service/env-rules.ts';
import { exitOnStartupError, optionsOrExit } from '#lib/service/startup-errors.ts';
import { SUBGRAPHS } from '../subgraphs/manifest.ts';
import { openDatabases } from './postgres.ts';
import { applyMigrations, pendingSchemaChangeSql, writeMigration } from './schema-engine.ts';

const listed = (items: readonly string[]) => listedWith(items, 'and');

const HELP = `Usage: npm run db:migrate [-- --check | --create NAME]

With no option, applies the committed migrations (prisma/<service>/migrations) that each of the
${listed(SUBGRAPHS.map(({ name }) => name))} databases has not seen yet, exactly as \`prisma migrate deploy\` would.

  --check        exit with status 1 when a schema.prisma differs from its migrations
  --create NAME  write a new migration, prisma/<service>/migrations/<timestamp>_NAME, for every
                 service whose schema.prisma changed since its last migration
  -h, --help     show this text

Databases: DATABASE_URL (one server; database names ${listed(SUBGRAPHS.map(({ database }) => database))}, after
DATABASE_NAME_PREFIX), or ${listed(SUBGRAPHS.map(({ env }) => env.databaseUrl))};
with none of them, the embedded PostgreSQL under .data/postgres: the one \`npm start\` runs, while
it runs (and left running), otherwise started for this command and stopped after it.
--check and --create need a server too: the engine replays the migrations in a temporary
shadow database to compare them with the schema.`;

const { values } = optionsOrExit(
  {
    options: {
      check: { type: 'boolean' },
      create: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  'npm run db:migrate',
  HELP,
);
if (values.create !== undefined && !/^[a-z0-9_]+$/.test(values.create)) {
  console.error('--create needs a name of lower-case letters, digits and underscores, e.g. add_post_tags.');
  process.exit(2);
}

const databases = await openDatabases({ log: console.log, joinRunningServer: true }).catch(exitOnStartupError);
let status = 0;
try {
  for (const subgraph of SUBGRAPHS) {
    const url = databases.urls[subgraph.name];
    if (values.check) {
      const sql = await pendingSchemaChangeSql(subgraph, url);
      if (sql.trim()) {
        console.error(`${subgraph.name}: schema.prisma differs from its migrations; this SQL is missing:\n${sql}`);
        status = 1;
      } else {
        console.log(`${subgraph.name}: schema.prisma and migrations agree.`);
      }
    } else if (values.create !== undefined) {
      const dir = await writeMigration(subgraph, url, values.create);
      console.log(`${subgraph.name}: ${dir ? `wrote ${path.relative(process.cwd(), dir)}/migration.sql` : 'schema.prisma and migrations agree.'}`);
    } else {
      const applied = await applyMigrations(subgraph, url);
      console.log(`${subgraph.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
    }
  }
} finally {
  await databases.stop();
}
process.exit(status);
