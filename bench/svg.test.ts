// The charts: well-formed SVG whatever the labels hold, bars proportional to their values, and
// ratios drawn on the side of the style that wins.
import { describe, expect, it } from 'vitest';
import { barChart, ratioChart } from './svg.ts';

/** Every tag is `<name attr="value" ...>` with quoted attributes, and every opened element closes. */
function expectWellFormed(svg: string) {
  const tags = svg.match(/<[^>]*>/g) ?? [];
  const open: string[] = [];
  for (const tag of tags) {
    expect(tag, tag).toMatch(/^<(\/[\w]+|[\w]+(\s+[\w:-]+="[^"<>]*")*\s*\/?)>$/);
    const name = /^<\/?(\w+)/.exec(tag)![1]!;
    if (tag.startsWith('</')) expect(open.pop()).toBe(name);
    else if (!tag.endsWith('/>')) open.push(name);
  }
  expect(open).toEqual([]);
  // No markup characters left raw in the text between tags.
  for (const text of svg.split(/<[^>]*>/)) expect(text).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;)/);
}

const widths = (svg: string, color: string) =>
  [...svg.matchAll(new RegExp(`<rect x="[\\d.]+" y="[\\d.]+" width="([\\d.]+)" height="15" fill="${color}"/>`, 'g'))].map((match) => Number(match[1]));

describe('barChart', () => {
  it('on a log scale, gives each factor of ten the same length, from the power of ten below the smallest value', () => {
    const svg = barChart({
      title: 'Requests per second',
      subtitle: 'log scale',
      log: true,
      series: [{ name: 'A', color: '#aa0000' }],
      groups: [5, 50, 500, 5000].map((value) => ({ label: String(value), bars: [{ value, text: String(value) }] })),
    });
    expectWellFormed(svg);
    // From 1 (the floor below 5) to 5000: 5, 50, 500 and 5000 sit at log(5)/log(5000), then a factor of ten each.
    const [w5, w50, w500, w5000] = widths(svg, '#aa0000');
    expect(w5000).toBeGreaterThan(w500!);
    expect(w50! - w5!).toBeCloseTo(w500! - w50!, 0);
    expect(w5! / w5000!).toBeCloseTo(Math.log10(5) / Math.log10(5000), 2);
  });

  it('draws bars proportional to their values, with escaped labels', () => {
    const svg = barChart({
      title: 'Bytes <per> screen & more',
      subtitle: 'a "quoted" subtitle',
      series: [
        { name: 'A', color: '#aa0000' },
        { name: 'B', color: '#0000aa' },
      ],
      groups: [
        {
          label: 'x < y',
          bars: [
            { value: 10, text: '10' },
            { value: 40, text: '40' },
          ],
        },
        {
          label: 'z',
          bars: [
            { value: 20, text: '20' },
            { value: 5, text: '5' },
          ],
        },
      ],
    });
    expectWellFormed(svg);
    expect(svg).toContain('x &lt; y');
    const a = widths(svg, '#aa0000');
    const b = widths(svg, '#0000aa');
    expect(a).toHaveLength(2);
    expect(b[0]).toBe(480);
    expect(a[0]! / b[0]!).toBeCloseTo(0.25, 2);
    expect(a[1]! / b[1]!).toBeCloseTo(4, 1);
  });
});

describe('ratioChart', () => {
  it('draws a ratio above 1 to the right and below 1 to the left, on a log scale', () => {
    const svg = ratioChart({
      title: 'Who wins',
      subtitle: 'log scale',
      left: { name: 'left wins', color: '#0000aa' },
      right: { name: 'right wins', color: '#aa0000' },
      groups: [
        {
          label: 'g & h',
          bars: [
            { label: '0 ms', ratio: 4, text: '4×' },
            { label: '80 ms', ratio: 0.5, text: '2×' },
          ],
        },
      ],
    });
    expectWellFormed(svg);
    const [right] = widths(svg, '#aa0000');
    const [left] = widths(svg, '#0000aa');
    // log2(4) = 2 units to the right, log2(0.5) = -1 unit to the left.
    expect(right! / left!).toBeCloseTo(2, 5);
    const x = (color: string) => Number(new RegExp(`<rect x="([\\d.]+)" y="[\\d.]+" width="[\\d.]+" height="15" fill="${color}"/>`).exec(svg)![1]);
    expect(x('#0000aa') + left!).toBeCloseTo(x('#aa0000'), 1);
  });
});
