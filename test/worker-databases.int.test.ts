// Every test file on PostgreSQL runs on databases of its own: its worker's copies of the seeded
// templates, made afresh before the file, so no file sees what another wrote.
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { testDatabaseUrls } from './graphql.ts';
import { copyTemplates } from './worker-databases.ts';

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

it("runs on its worker's copies of the seeded databases", async () => {
  const templates = inject('databaseTemplateUrls');
  const urls = testDatabaseUrls();
  for (const [service, url] of Object.entries(urls)) {
    expect(databaseName(url)).toBe(`${databaseName(templates[service as keyof typeof templates])}_w${process.env.VITEST_POOL_ID}`);
  }
  expect((await queryOne(urls.users, `SELECT count(*)::int AS users FROM "User"`)).users).toBeGreaterThan(0);
});

it('gets fresh copies for the next file: what this one wrote is gone', async () => {
  const { users } = testDatabaseUrls();
  await queryOne(users, 'CREATE TABLE written_by_an_earlier_file (id int)');
  await copyTemplates(inject('databaseTemplateUrls'));
  expect(await queryOne(users, `SELECT to_regclass('written_by_an_earlier_file') AS leftover`)).toEqual({ leftover: null });
});
