// Two small horizontal bar charts as standalone SVG, with no dependency: grouped bars (one bar
// per series in each group), and ratios on a log scale around 1× (which side wins, by how much).

export interface Series {
  name: string;
  color: string;
}

export interface BarGroup {
  label: string;
  /** One per series, in the order of `series`. */
  bars: { value: number; text: string }[];
}

export interface RatioGroup {
  label: string;
  /** `color` overrides the winning side's colour (e.g. grey for a difference within the noise). */
  bars: { label: string; ratio: number; text: string; color?: string }[];
}

const WIDTH = 900;
const LABEL_WIDTH = 250;
const TEXT_WIDTH = 170;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - TEXT_WIDTH;
const BAR = 15;
const BAR_GAP = 3;
const GROUP_GAP = 14;
const TOP = 62;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function frame(title: string, subtitle: string, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT} font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="600" fill="#111">${escapeXml(title)}</text>`,
    `<text x="16" y="42" fill="#555">${escapeXml(subtitle)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function groupHeight(bars: number): number {
  return bars * BAR + (bars - 1) * BAR_GAP;
}

/**
 * Grouped horizontal bars, each labelled with its text: on a linear scale from 0, or with `log`
 * on a logarithmic one from the power of ten below the smallest value (for values that span
 * orders of magnitude, where a linear scale leaves the small ones invisible).
 */
export function barChart(options: { title: string; subtitle: string; series: Series[]; groups: BarGroup[]; log?: boolean }): string {
  const values = options.groups.flatMap((group) => group.bars.map((bar) => bar.value));
  const max = Math.max(...values, Number.MIN_VALUE);
  const floor = 10 ** Math.floor(Math.log10(Math.min(...values.filter((value) => value > 0), max)));
  const share = options.log ? (value: number) => (value <= floor ? 0 : Math.log10(value / floor) / Math.log10(max / floor)) : (value: number) => value / max;
  const body: string[] = [];
  options.series.forEach((series, index) => {
    const x = LABEL_WIDTH + index * 170;
    body.push(`<rect x="${x}" y="${TOP - 14}" width="10" height="10" fill="${series.color}"/>`);
    body.push(`<text x="${x + 14}" y="${TOP - 5}" fill="#333">${escapeXml(series.name)}</text>`);
  });
  let y = TOP + 8;
  for (const group of options.groups) {
    const height = groupHeight(group.bars.length);
    body.push(`<text x="${LABEL_WIDTH - 10}" y="${y + height / 2 + 4}" text-anchor="end" fill="#222">${escapeXml(group.label)}</text>`);
    group.bars.forEach((bar, index) => {
      const width = share(bar.value) * PLOT_WIDTH;
      const barY = y + index * (BAR + BAR_GAP);
      body.push(`<rect x="${LABEL_WIDTH}" y="${barY}" width="${width.toFixed(1)}" height="${BAR}" fill="${options.series[index]!.color}"/>`);
      body.push(`<text x="${(LABEL_WIDTH + width + 5).toFixed(1)}" y="${barY + BAR - 3}" fill="#333">${escapeXml(bar.text)}</text>`);
    });
    y += height + GROUP_GAP;
  }
  body.push(`<line x1="${LABEL_WIDTH}" y1="${TOP}" x2="${LABEL_WIDTH}" y2="${y - GROUP_GAP + 4}" stroke="#999"/>`);
  return frame(options.title, options.subtitle, y + 10, body);
}

/**
 * Ratios on a log scale centred on 1×: a ratio above 1 is drawn to the right (the right side
 * wins by that factor), below 1 to the left (the left side wins by its inverse).
 */
export function ratioChart(options: { title: string; subtitle: string; left: Series; right: Series; groups: RatioGroup[] }): string {
  const ratios = options.groups.flatMap((group) => group.bars.map((bar) => Math.abs(Math.log2(bar.ratio))));
  // Whole powers of two either side, at least 2× (so that 1.1× does not fill the plot).
  const extent = Math.max(1, Math.ceil(Math.max(...ratios)));
  const centre = LABEL_WIDTH + PLOT_WIDTH / 2;
  // Room beside the longest bars for their text.
  const scale = (PLOT_WIDTH / 2 - 50) / extent;
  const body: string[] = [];
  body.push(`<text x="${centre - 8}" y="${TOP - 5}" text-anchor="end" fill="${options.left.color}" font-weight="600">◀ ${escapeXml(options.left.name)}</text>`);
  body.push(`<text x="${centre + 8}" y="${TOP - 5}" fill="${options.right.color}" font-weight="600">${escapeXml(options.right.name)} ▶</text>`);
  const gridTop = TOP + 8;
  const gridBottom = gridTop + options.groups.reduce((sum, group) => sum + groupHeight(group.bars.length) + GROUP_GAP, 0) - GROUP_GAP + 4;
  for (let power = -extent; power <= extent; power++) {
    const x = centre + power * scale;
    body.push(`<line x1="${x.toFixed(1)}" y1="${gridTop - 4}" x2="${x.toFixed(1)}" y2="${gridBottom}" stroke="${power === 0 ? '#666' : '#e3e3e3'}"/>`);
    body.push(`<text x="${x.toFixed(1)}" y="${gridBottom + 14}" text-anchor="middle" fill="#777">${2 ** Math.abs(power)}×</text>`);
  }
  let y = gridTop;
  for (const group of options.groups) {
    const height = groupHeight(group.bars.length);
    body.push(`<text x="16" y="${y + height / 2 + 4}" fill="#222">${escapeXml(group.label)}</text>`);
    group.bars.forEach((bar, index) => {
      const log = Math.log2(bar.ratio);
      const width = Math.abs(log) * scale;
      const x = log >= 0 ? centre : centre - width;
      const barY = y + index * (BAR + BAR_GAP);
      const color = bar.color ?? (log >= 0 ? options.right.color : options.left.color);
      body.push(`<text x="${LABEL_WIDTH - 10}" y="${barY + BAR - 3}" text-anchor="end" fill="#666">${escapeXml(bar.label)}</text>`);
      body.push(`<rect x="${x.toFixed(1)}" y="${barY}" width="${Math.max(width, 1).toFixed(1)}" height="${BAR}" fill="${color}"/>`);
      const textX = log >= 0 ? centre + width + 5 : centre - width - 5;
      body.push(`<text x="${textX.toFixed(1)}" y="${barY + BAR - 3}" text-anchor="${log >= 0 ? 'start' : 'end'}" fill="#333">${escapeXml(bar.text)}</text>`);
    });
    y += height + GROUP_GAP;
  }
  return frame(options.title, options.subtitle, gridBottom + 26, body);
}
