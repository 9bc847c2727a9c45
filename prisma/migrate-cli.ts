// `npm run db:migrate`: applies, checks or writes migrations with Prisma's WebAssembly schema engine.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabases } from './postgres.ts';
import { applyMigrations, pendingSchemaChangeSql } from './schema-engine.ts';
import { migrationsDir, SERVICE_NAMES } from './services.ts';

const HELP = `Usage: npm run db:migrate [-- --check | --create NAME]

With no option, applies the committed migrations (prisma/<service>/migrations) that each of the
users, posts and orders databases has not seen yet, exactly as \`prisma migrate deploy\` would.

  --check        exit with status 1 when a schema.prisma differs from its migrations
  --create NAME  write a new migration, prisma/<service>/migrations/<timestamp>_NAME, for every
                 service whose schema.prisma changed since its last migration
  -h, --help     show this text

Databases: DATABASE_URL (one server; database names users, posts and orders, after
DATABASE_NAME_PREFIX), or USERS_DATABASE_URL, POSTS_DATABASE_URL and ORDERS_DATABASE_URL;
with none of them, the embedded PostgreSQL under .data/postgres.
--check and --create need a server too: the engine replays the migrations in a temporary
shadow database to compare them with the schema.`;

const { values } = parseArgs({
  options: {
    check: { type: 'boolean' },
    create: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (values.create !== undefined && !/^[a-z0-9_]+$/.test(values.create)) {
  console.error('--create needs a name of lower-case letters, digits and underscores, e.g. add_post_tags.');
  process.exit(2);
}

const databases = await openDatabases({ log: console.log });
let status = 0;
try {
  for (const service of SERVICE_NAMES) {
    if (values.check || values.create !== undefined) {
      const sql = await pendingSchemaChangeSql(service, databases.urls[service]);
      if (!sql.trim()) {
        console.log(`${service}: schema.prisma and migrations agree.`);
      } else if (values.check) {
        console.error(`${service}: schema.prisma differs from its migrations; this SQL is missing:\n${sql}`);
        status = 1;
      } else {
        const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
        const dir = path.join(migrationsDir(service), `${stamp}_${values.create}`);
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, 'migration.sql'), sql);
        console.log(`${service}: wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
      }
    } else {
      const applied = await applyMigrations(service, databases.urls[service]);
      console.log(`${service}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
    }
  }
} finally {
  await databases.stop();
}
process.exit(status);
