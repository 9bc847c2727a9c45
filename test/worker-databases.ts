// Databases of its own for every test file that needs PostgreSQL. The global setup migrates and
// seeds one set, the templates; before each file its worker replaces its copies of them
// (`CREATE DATABASE … TEMPLATE`: a file copy, a fraction of a second for all three). Files that run
// at the same time, or one after another on one worker, never see each other's writes, so a test
// may count rows exactly. Nothing else connects to the templates: PostgreSQL copies no database
// that has sessions.
import pg from 'pg';
import type { DatabaseUrls } from '../prisma/postgres.ts';

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

function onDatabase(url: string, database: string): string {
  const other = new URL(url);
  other.pathname = `/${encodeURIComponent(database)}`;
  return other.toString();
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

const WORKER_SUFFIX = /^_w\d+$/;

/** A worker's copies of the templates (vitest numbers its workers 1…maxWorkers: VITEST_POOL_ID). */
export function workerDatabaseUrls(templates: DatabaseUrls, worker = process.env.VITEST_POOL_ID ?? '1'): DatabaseUrls {
  return Object.fromEntries(
    Object.entries(templates).map(([service, url]) => [service, onDatabase(url, `${databaseName(url)}_w${worker}`)]),
  ) as DatabaseUrls;
}

/** Runs `statements` one after another on the `postgres` database of `url`'s server. */
async function onServerOf(url: string, statements: (admin: pg.Client) => Promise<void>): Promise<void> {
  const admin = new pg.Client({ connectionString: onDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await statements(admin);
  } finally {
    await admin.end();
  }
}

/** Replaces this worker's copies with fresh ones; FORCE ends what a previous file left connected. */
export async function copyTemplates(templates: DatabaseUrls): Promise<void> {
  const copies = workerDatabaseUrls(templates);
  await Promise.all(
    Object.entries(templates).map(([service, template]) =>
      onServerOf(template, async (admin) => {
        const copy = quoted(databaseName(copies[service as keyof DatabaseUrls]));
        await admin.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${copy} TEMPLATE ${quoted(databaseName(template))}`);
      }),
    ),
  );
}

/** Drops every worker's copies, once the run is over. */
export async function dropWorkerCopies(templates: DatabaseUrls): Promise<void> {
  for (const template of Object.values(templates)) {
    const name = databaseName(template);
    await onServerOf(template, async (admin) => {
      const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [name]);
      for (const { datname } of rows) {
        if (WORKER_SUFFIX.test(datname.slice(name.length))) await admin.query(`DROP DATABASE ${quoted(datname)} WITH (FORCE)`);
      }
    });
  }
}
