import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrls } from '../test/graphql.ts';
import { applyMigrations, migrationList, pendingSchemaChangeSql } from './schema-engine.ts';
import { SUBGRAPHS } from '../subgraphs/manifest.ts';

describe.each(SUBGRAPHS)('$name migrations', (subgraph) => {
  const databaseUrl = testDatabaseUrls()[subgraph.name];

  it('agree with schema.prisma (the engine finds nothing to change)', async () => {
    expect(await pendingSchemaChangeSql(subgraph, databaseUrl)).toBe('');
  });

  it('are all applied, recorded under their folder names as `prisma migrate deploy` records them', async () => {
    expect(await applyMigrations(subgraph, databaseUrl)).toEqual([]);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string }>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
      );
      const committed = (await migrationList(subgraph)).migrationDirectories.map((directory) => directory.path);
      expect(committed.length).toBeGreaterThan(0);
      expect(rows.map((row) => row.migration_name)).toEqual(committed);
    } finally {
      await client.end();
    }
  });
});
