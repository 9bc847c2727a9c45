// The unit tests run without PostgreSQL; the tests that need it each get databases of their own.
import { describe, expect, inject, it } from 'vitest';
import { testDatabaseUrls } from './graphql.ts';
import { fileDatabaseUrls } from './file-databases.ts';

describe('test databases', () => {
  it('are not given to unit tests: one that asks is told how to name its file', () => {
    expect(inject('databaseTemplateUrls')).toBeUndefined();
    expect(() => testDatabaseUrls()).toThrow(
      'This test needs PostgreSQL, and unit tests run without it: name its file *.int.test.ts (integration) or put it in e2e/<scenario>/*.e2e.ts.',
    );
  });

  it("are each file's copies of the seeded ones, on the same servers", () => {
    const templates = {
      users: 'postgresql://postgres:secret@127.0.0.1:5432/test_users',
      posts: 'postgresql://postgres:secret@127.0.0.1:5432/test_posts',
      orders: 'postgresql://postgres@db.internal:6543/orders?sslmode=require',
    };
    expect(fileDatabaseUrls(templates, '12')).toEqual({
      users: 'postgresql://postgres:secret@127.0.0.1:5432/test_users_file12',
      posts: 'postgresql://postgres:secret@127.0.0.1:5432/test_posts_file12',
      orders: 'postgresql://postgres@db.internal:6543/orders_file12?sslmode=require',
    });
  });
});
