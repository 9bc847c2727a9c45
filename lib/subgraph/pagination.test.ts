import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE } from '#lib/service/page-size.ts';
import { decodeCursor, encodeCursor, parsePageArgs, toConnection } from './pagination.ts';

const position = { createdAt: new Date('2026-03-04T05:06:07.089Z'), id: 42 };

function argumentError(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions;
  }
  throw new Error('expected a GraphQLError');
}

describe('cursors', () => {
  it('round-trip a position, to the millisecond', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('are opaque: no id or date shows through', () => {
    const cursor = encodeCursor(position);
    expect(cursor).not.toContain('42');
    expect(cursor).not.toContain('2026');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    '',
    'garbage',
    Buffer.from('v1:not-a-date:5').toString('base64url'),
    Buffer.from('v1:2026-01-01T00:00:00.000Z:0').toString('base64url'),
    Buffer.from('v2:2026-01-01T00:00:00.000Z:5').toString('base64url'),
  ])('reject %j', (cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });

  // Forged: each decodes in JavaScript but would fail in PostgreSQL, or is not what encodeCursor writes.
  it.each([
    '2026-01-01T00:00:00.000Z:2147483648',
    '2026-01-01T00:00:00.000Z:9007199254740993',
    '-271821-04-20T00:00:00.000Z:5',
    '+275760-09-13T00:00:00.000Z:5',
    '0000-01-01T00:00:00.000Z:5',
    '2026-02-30T00:00:00.000Z:5',
    '2026-01-01:5',
    '2026-01-01T00:00:00Z:5',
    '2026-01-01T00:00:00.000Z:05',
    '2026-01-01T00:00:00.000Z:5\u0000',
  ])('reject the forged position %j', (position) => {
    expect(decodeCursor(Buffer.from(`v1:${position}`).toString('base64url'))).toBeNull();
  });

  it('accept the extremes PostgreSQL can hold', () => {
    for (const position of [
      { createdAt: new Date('0001-01-01T00:00:00.000Z'), id: 2_147_483_647 },
      { createdAt: new Date('9999-12-31T23:59:59.999Z'), id: 1 },
    ]) {
      expect(decodeCursor(encodeCursor(position))).toEqual(position);
    }
  });
});

describe('parsePageArgs', () => {
  it('defaults to 20 from the start', () => {
    expect(parsePageArgs({})).toEqual({ size: 20 });
    expect(parsePageArgs({ first: null, after: null })).toEqual({ size: 20 });
  });

  it('accepts 0 to 100', () => {
    expect(parsePageArgs({ first: 0 }).size).toBe(0);
    expect(parsePageArgs({ first: MAX_PAGE_SIZE }).size).toBe(100);
  });

  it.each([-1, 101, 1_000_000])('rejects first = %i naming the argument', (first) => {
    expect(argumentError(() => parsePageArgs({ first }))).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });

  it('rejects a cursor that does not decode, naming the argument', () => {
    expect(argumentError(() => parsePageArgs({ after: 'nope' }))).toEqual({
      code: 'BAD_USER_INPUT',
      argumentName: 'after',
    });
  });

  it('decodes a valid cursor', () => {
    expect(parsePageArgs({ first: 5, after: encodeCursor(position) })).toEqual({ size: 5, after: position });
  });
});

describe('toConnection', () => {
  const rows = [3, 2, 1].map((id) => ({ id, createdAt: new Date(Date.UTC(2026, 0, id)) }));

  it('uses the extra row only to tell that a next page exists', () => {
    const connection = toConnection(rows, 2);
    expect(connection.edges.map((edge) => edge.node.id)).toEqual([3, 2]);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(rows[1]!) });
  });

  it('ends on a short page', () => {
    expect(toConnection(rows, 5).pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor(rows[2]!) });
  });

  it('has a null end cursor when empty', () => {
    expect(toConnection([], 0).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
