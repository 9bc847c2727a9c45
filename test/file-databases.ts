// Databases of its own for every test file that needs PostgreSQL. The global setup migrates and
// seeds one set, the templates; before each file, copies of them are made for it
// (`CREATE DATABASE … TEMPLATE`: a file copy, a fraction of a second for all three), and dropped
// after it. Files that run at the same time never see each other's writes, so a test may count
// rows exactly. Nothing else connects to the templates: PostgreSQL copies no database that has
// sessions.
//
// A copy is named after vitest's number for the file (VITEST_WORKER_ID, one per test file in a run),
// not after the worker slot (VITEST_POOL_ID): vitest 4.1 was seen giving one slot to two files at
// once after it moved from one project's files to the next.
import pg from 'pg';
import { databaseUrlOn, type DatabaseUrls } from '../prisma/postgres.ts';

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

const COPY_SUFFIX = /^_file\d+$/;

/** The copies of the templates for test file number `file` of the run. */
export function fileDatabaseUrls(templates: DatabaseUrls, file = process.env.VITEST_WORKER_ID ?? '0'): DatabaseUrls {
  return Object.fromEntries(
    Object.entries(templates).map(([service, url]) => [service, databaseUrlOn(url, `${databaseName(url)}_file${file}`)]),
  ) as DatabaseUrls;
}

/** Runs `statements` on the `postgres` database of `url`'s server. */
async function onServerOf(url: string, statements: (admin: pg.Client) => Promise<void>): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrlOn(url, 'postgres') });
  await admin.connect();
  try {
    await statements(admin);
  } finally {
    await admin.end();
  }
}

/** Drops this file's copies; FORCE ends the sessions it left open. */
export async function dropFileCopies(templates: DatabaseUrls): Promise<void> {
  await Promise.all(
    Object.values(fileDatabaseUrls(templates)).map((copy) =>
      onServerOf(copy, (admin) => admin.query(`DROP DATABASE IF EXISTS ${quoted(databaseName(copy))} WITH (FORCE)`).then(() => {})),
    ),
  );
}

/** Fresh copies of the templates for this file (replacing any that an interrupted run left). */
export async function copyTemplates(templates: DatabaseUrls): Promise<void> {
  await dropFileCopies(templates);
  const copies = fileDatabaseUrls(templates);
  await Promise.all(
    Object.entries(templates).map(([service, template]) =>
      onServerOf(template, async (admin) => {
        const copy = databaseName(copies[service as keyof DatabaseUrls]);
        await admin.query(`CREATE DATABASE ${quoted(copy)} TEMPLATE ${quoted(databaseName(template))}`);
      }),
    ),
  );
}

/** Drops the copies that files left behind (a run interrupted, a file that failed to load): for the global teardown. */
export async function dropLeftoverCopies(templates: DatabaseUrls): Promise<void> {
  for (const template of Object.values(templates)) {
    const name = databaseName(template);
    await onServerOf(template, async (admin) => {
      const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [name]);
      for (const { datname } of rows) {
        if (COPY_SUFFIX.test(datname.slice(name.length))) await admin.query(`DROP DATABASE ${quoted(datname)} WITH (FORCE)`);
      }
    });
  }
}
