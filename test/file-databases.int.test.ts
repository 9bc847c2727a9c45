// Every test file on PostgreSQL runs on databases of its own: copies of the seeded templates, made
// for it before it starts and dropped after it, so no file sees what another wrote.
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { testDatabaseUrls } from './graphql.ts';
import { copyTemplates, dropFileCopies } from './file-databases.ts';

async function queryOne(url: string, sql: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0];
  } finally {
    await client.end();
  }
}

const databaseName = (url: string) => new URL(url).pathname.slice(1);
const templates = inject('databaseTemplateUrls');

it('runs on copies of the seeded databases, its own', async () => {
  const urls = testDatabaseUrls();
  for (const [service, url] of Object.entries(urls)) {
    expect(databaseName(url)).toBe(`${databaseName(templates[service as keyof typeof templates])}_file${process.env.VITEST_WORKER_ID}`);
  }
  expect((await queryOne(urls.users, 'SELECT count(*)::int AS users FROM "User"')).users).toBeGreaterThan(0);
});

it('copies afresh, without what a file wrote, and drops the copies after it', async () => {
  const { users } = testDatabaseUrls();
  await queryOne(users, 'CREATE TABLE written_by_this_file (id int)');
  await dropFileCopies(templates);
  // On the server's `postgres` database: a session on a template would stop other files' copies.
  const server = Object.assign(new URL(users), { pathname: '/postgres' }).toString();
  expect(await queryOne(server, `SELECT count(*)::int AS copies FROM pg_database WHERE datname = '${databaseName(users)}'`)).toEqual({ copies: 0 });
  await copyTemplates(templates);
  expect(await queryOne(users, `SELECT to_regclass('written_by_this_file') AS leftover`)).toEqual({ leftover: null });
});
