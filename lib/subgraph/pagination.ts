// Relay connections with keyset pagination. Every list is ordered newest first by
// (createdAt, id); a cursor holds the position of its row in that order, so rows inserted
// while a client pages never shift or repeat what it sees (offsets would).
import type DataLoader from 'dataloader';
import { empty, raw, sqltag, type Sql } from '@prisma/client/runtime/client';
import { PAGE_SIZE_RULE, pageSizeOf } from '#lib/service/page-size.ts';
import { badUserInput } from '#lib/service/errors.ts';
import { parseId } from './ids.ts';
import type { ChildPageKey } from './loaders.ts';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Position {
  createdAt: Date;
  id: number;
}

export interface Page {
  /** How many rows the client asked for. */
  size: number;
  /** Start after this position; undefined for the first page. */
  after?: Position;
}

export interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const CURSOR_VERSION = 'v1';

export function encodeCursor(position: Position): string {
  return Buffer.from(`${CURSOR_VERSION}:${position.createdAt.toISOString()}:${position.id}`).toString('base64url');
}

// Exactly what `encodeCursor` writes, years 0001 to 9999: PostgreSQL has no year 0, and
// JavaScript dates reach years (-271821, +275760) that PostgreSQL cannot compare with.
const CURSOR = /^v1:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z):([^:]+)$/;

/** The position a cursor holds, or null when it is not one this API made (forged cursors included). */
export function decodeCursor(cursor: string): Position | null {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return null;
  const createdAt = new Date(match[1]!);
  const id = parseId(match[2]!);
  // The round trip refuses dates that do not exist (February 30th).
  const exists = !Number.isNaN(createdAt.getTime()) && createdAt.toISOString() === match[1];
  if (id === null || !exists || createdAt.getUTCFullYear() < 1) return null;
  return { createdAt, id };
}

/** Validates `first` and `after`, with errors that name the argument. */
export function parsePageArgs({ first, after }: PageArgs): Page {
  const size = pageSizeOf(first);
  if (size === undefined) throw badUserInput(`"first" ${PAGE_SIZE_RULE} (got ${first}).`, 'first');
  if (after === undefined || after === null) return { size };
  const position = decodeCursor(after);
  if (!position) throw badUserInput('"after" is not a cursor returned by this API.', 'after');
  return { size, after: position };
}

/** Prisma `where` for the rows after `position` in newest-first order. */
export function afterPosition(position: Position | undefined) {
  if (!position) return {};
  return {
    OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }],
  };
}

export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/**
 * Builds a connection from rows fetched with `take: size + 1`: the extra row, when present,
 * only tells that a next page exists.
 */
export function toConnection<Row extends Position>(rows: Row[], size: number): Connection<Row> {
  const nodes = rows.slice(0, size);
  // Encoded only when a client selects `cursor`: most lists are read without one.
  const edges = nodes.map((node) => ({
    node,
    get cursor() {
      return encodeCursor(node);
    },
  }));
  const last = nodes.at(-1);
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      get endCursor() {
        return last ? encodeCursor(last) : null;
      },
    },
  };
}

/** A connection as resolvers return it: `totalCount` runs its query only when a client asks. */
export interface CountedConnection<Node> extends Connection<Node> {
  totalCount: () => Promise<number>;
}

/** A top-level list (one parent: the query root), fetched and counted on demand. */
export async function rootConnection<Row extends Position>(
  args: PageArgs,
  fetchRows: (where: ReturnType<typeof afterPosition>, take: number) => Promise<Row[]>,
  count: () => Promise<number>,
): Promise<CountedConnection<Row>> {
  const page = parsePageArgs(args);
  const rows = await fetchRows(afterPosition(page.after), page.size + 1);
  return { ...toConnection(rows, page.size), totalCount: count };
}

/** A parent's list of children, through loaders that batch it with its siblings' lists. */
export async function childConnection<Row extends Position>(
  args: PageArgs,
  parentId: number,
  pages: DataLoader<ChildPageKey, Row[]>,
  counts: DataLoader<number, number>,
): Promise<CountedConnection<Row>> {
  const page = parsePageArgs(args);
  const rows = await pages.load({ parentId, page });
  return { ...toConnection(rows, page.size), totalCount: () => counts.load(parentId) };
}

/**
 * One statement for a page of children of each of many parents: a LATERAL join runs the
 * index-ordered `LIMIT` per parent, so each parent costs an index range scan, not a sort of all
 * its children. Table and column names are our constants, never client input.
 */
export function pageOfEachParentSql(table: string, parentColumn: string, parentIds: number[], page: Page): Sql {
  const after = page.after ? sqltag`AND ("createdAt", "id") < (${page.after.createdAt}::timestamptz, ${page.after.id}::int)` : empty;
  return sqltag`SELECT child.* FROM unnest(${parentIds}::int[]) AS parent(id)
    CROSS JOIN LATERAL (
      SELECT * FROM ${raw(`"${table}"`)} WHERE ${raw(`"${parentColumn}"`)} = parent.id ${after}
      ORDER BY "createdAt" DESC, "id" DESC LIMIT ${page.size + 1}
    ) AS child`;
}

/** The connection of a parent that cannot have children (an id no row can have); still validates the arguments. */
export function emptyConnection<Node>(args: PageArgs): CountedConnection<Node> {
  parsePageArgs(args);
  return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: async () => 0 };
}
