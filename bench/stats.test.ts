// Percentiles are nearest-rank: always one of the samples, never an interpolation.
import { describe, expect, it } from 'vitest';
import { percentile } from './stats.ts';

describe('percentile', () => {
  it('takes the nearest rank of the sorted samples, whatever their order', () => {
    const samples = [15, 20, 35, 40, 50];
    const shuffled = [40, 15, 50, 20, 35];
    expect(percentile(shuffled, 0.05)).toBe(15);
    expect(percentile(shuffled, 0.3)).toBe(20);
    expect(percentile(shuffled, 0.4)).toBe(20);
    expect(percentile(shuffled, 0.5)).toBe(35);
    expect(percentile(shuffled, 1)).toBe(50);
    expect(percentile(samples, 0)).toBe(15);
    // Sorting is numeric, not by text.
    expect(percentile([9, 10, 100, 2], 0.5)).toBe(9);
  });

  it('gives p50, p95 and p99 of 1..100 as 50, 95 and 99, and p99 of 1..1000 as 990', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([0.5, 0.95, 0.99].map((q) => percentile(hundred, q))).toEqual([50, 95, 99]);
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(thousand, 0.99)).toBe(990);
  });

  it('is NaN without samples and leaves the samples unsorted', () => {
    expect(percentile([], 0.5)).toBeNaN();
    const samples = [3, 1, 2];
    percentile(samples, 0.5);
    expect(samples).toEqual([3, 1, 2]);
  });
});
