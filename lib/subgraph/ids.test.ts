import { describe, expect, it } from 'vitest';
import { parseId } from './ids.ts';

describe('parseId', () => {
  it.each([
    ['1', 1],
    ['42', 42],
    [7, 7],
    ['2147483647', 2_147_483_647],
  ])('reads %j', (id, expected) => {
    expect(parseId(id)).toBe(expected);
  });

  it.each(['0', '-1', '01', '1.5', 'abc', '', ' 1', '2147483648', '99999999999'])('has no row for %j', (id) => {
    expect(parseId(id)).toBeNull();
  });
});
