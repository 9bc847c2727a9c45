// DataLoader helpers shared by the subgraphs. Loaders live in the request's context, so a
// cache never outlives one request nor crosses users. Every entity reference and relation goes
// through one, so N parents cost one statement per level instead of N.
import DataLoader from 'dataloader';
import { loaderBatchSize } from '#lib/service/metrics.ts';
import { raw, sqltag, type Sql } from '@prisma/client/runtime/client';
import { pageOfEachParentSql, type Page, type Position } from './pagination.ts';

export interface LoaderSettings {
  /**
   * False for the naive build (NAIVE_RESOLVERS=true, benchmark and tests only): every load runs
   * its own statement and nothing is cached, as plain per-parent queries would.
   */
  batch: boolean;
}

/** Wraps a batch function to record its batch sizes (dataloader_batch_size, by kind). */
function observed<Key, Value>(kind: string, batch: DataLoader.BatchLoadFn<Key, Value>): DataLoader.BatchLoadFn<Key, Value> {
  return (keys) => {
    loaderBatchSize.observe({ kind }, keys.length);
    return batch(keys);
  };
}

function options<Key, Value>(settings: LoaderSettings, cacheKeyFn?: (key: Key) => unknown): DataLoader.Options<Key, Value, unknown> {
  return settings.batch ? { cacheKeyFn } : { batch: false, cache: false };
}

/** One `WHERE id IN (...)` for all the ids that a request asks for in the same tick. */
export function rowsByIdLoader<Row extends { id: number }>(
  settings: LoaderSettings,
  fetchRows: (ids: number[]) => Promise<Row[]>,
): DataLoader<number, Row | null> {
  return new DataLoader(
    observed('rows-by-id', async (ids) => {
      const rows = await fetchRows([...ids]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    options(settings),
  );
}

/**
 * The rows of a table by id in one plain statement, for rowsByIdLoader: every entity reference
 * goes through one. The Prisma client's findMany gives the same rows (every column; our models
 * map no names) for a third more CPU, compiling and interpreting a query plan on each call
 * (measured: 0.49 against 0.32 ms per fetch of 3 products). The table name is our constant.
 */
export function rowsWithIds<Row>(query: RawQuery, table: string): (ids: number[]) => Promise<Row[]> {
  return (ids) => query<Row[]>(sqltag`SELECT * FROM ${raw(`"${table}"`)} WHERE id = ANY(${ids}::int[])`);
}

/** All the rows of many parents in one statement, e.g. the items of each order. */
export function rowsByParentLoader<Row>(
  settings: LoaderSettings,
  parentOf: (row: Row) => number,
  fetchRows: (parentIds: number[]) => Promise<Row[]>,
): DataLoader<number, Row[]> {
  return new DataLoader(
    observed('rows-by-parent', async (parentIds) => {
      const byParent = groupBy(await fetchRows([...parentIds]), parentOf);
      return parentIds.map((parentId) => byParent.get(parentId) ?? []);
    }),
    options(settings),
  );
}

/** How many children each parent has, in one `GROUP BY` statement. */
export function countByParentLoader(
  settings: LoaderSettings,
  fetchCounts: (parentIds: number[]) => Promise<{ parentId: number; count: number }[]>,
): DataLoader<number, number> {
  return new DataLoader(
    observed('count-by-parent', async (parentIds) => {
      const counts = new Map((await fetchCounts([...parentIds])).map(({ parentId, count }) => [parentId, count]));
      return parentIds.map((parentId) => counts.get(parentId) ?? 0);
    }),
    options(settings),
  );
}

export interface ChildPageKey {
  parentId: number;
  page: Page;
}

/**
 * One page of children for each of many parents (the first 10 posts of each of 100 users) in
 * one statement. Keys asking for different pages (another `first` or `after`) go in separate
 * statements, one per distinct page.
 */
export function childPagesLoader<Row>(
  settings: LoaderSettings,
  parentOf: (row: Row) => number,
  fetchPages: (parentIds: number[], page: Page) => Promise<Row[]>,
): DataLoader<ChildPageKey, Row[]> {
  const pageKey = (page: Page) => JSON.stringify([page.size, page.after?.createdAt, page.after?.id]);
  return new DataLoader(
    observed('child-pages', async (keys) => {
      const results = new Map<string, Row[]>();
      const parentsByPage = groupBy([...keys], (key) => pageKey(key.page));
      for (const [signature, pageKeys] of parentsByPage) {
        const rows = await fetchPages(
          pageKeys.map((key) => key.parentId),
          pageKeys[0]!.page,
        );
        for (const [parentId, children] of groupBy(rows, parentOf)) results.set(`${signature}:${parentId}`, children);
      }
      return keys.map((key) => results.get(`${pageKey(key.page)}:${key.parentId}`) ?? []);
    }),
    options(settings, (key) => `${pageKey(key.page)}:${key.parentId}`),
  );
}

/** Runs one raw statement on a subgraph's database (its Prisma client's `$queryRaw`). */
export type RawQuery = <Result>(query: Sql) => Promise<Result>;

/**
 * The two loaders of a paginated child list (a user's posts, a post's comments, a buyer's
 * orders): one page for each of many parents in one statement, and their counts in another.
 * Table and column names are our constants, never client input.
 */
export function childListLoaders<Row extends Position>(settings: LoaderSettings, query: RawQuery, table: string, parentColumn: keyof Row & string) {
  const parentOf = (row: Row) => row[parentColumn] as number;
  return {
    pages: childPagesLoader(settings, parentOf, (parentIds, page) => query<Row[]>(pageOfEachParentSql(table, parentColumn, parentIds, page))),
    counts: countByParentLoader(settings, (parentIds) =>
      query<{ parentId: number; count: number }[]>(
        sqltag`SELECT ${raw(`"${parentColumn}"`)} AS "parentId", COUNT(*)::int AS "count" FROM ${raw(`"${table}"`)}
          WHERE ${raw(`"${parentColumn}"`)} = ANY(${parentIds}::int[]) GROUP BY 1`,
      ),
    ),
  };
}

function groupBy<Item, Key>(items: Item[], keyOf: (item: Item) => Key): Map<Key, Item[]> {
  const groups = new Map<Key, Item[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Loads the row behind a public id; null for an id that no row can have. */
export function loadByPublicId<Row>(loader: DataLoader<number, Row | null>, id: number | null): Promise<Row | null> {
  return id === null ? Promise.resolve(null) : loader.load(id);
}
