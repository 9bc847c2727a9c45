// Turns the results of `npm run bench:rest` into bench/REPORT.md and its SVG charts. Every
// number and every "who wins" sentence is computed from bench/results/rest-vs-graphql.json, so
// `npm run bench:rest -- --report-only` regenerates the same report from the same results.
import { writeFile } from 'node:fs/promises';
import { barChart, ratioChart, type Series } from './svg.ts';
import { formatMs } from './stats.ts';

export type Style = 'graphql' | 'rest';

/** One screen of a scenario in one style, built once with statement counting on. */
export interface Profile {
  requests: number;
  /** Requests that had to wait for an earlier answer, plus one: round trips on the critical path. */
  steps: number;
  sqlStatements: number;
}

export interface CellResult {
  scenario: string;
  style: Style;
  rttMs: number;
  screens: number;
  elapsedMs: number;
  throughputPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number };
  /** The p50 of each timed round (the style's rounds alternate with the other style's). */
  roundP50sMs?: number[];
  perScreen: { requests: number; bytesDown: number; bytesUp: number };
  profile: Profile;
}

export interface BenchResults {
  benchmark: 'rest-vs-graphql';
  date: string;
  durationSeconds: number;
  /** The repository's commit when it ran. */
  commit?: string;
  machine: { node: string; cpus: string; memoryGiB: number; platform: string };
  /** The machine's 1-minute load average when the timing began and when it ended. */
  loadAverage: { before: number; after: number };
  versions: Record<string, string>;
  settings: {
    concurrency: number;
    minDurationMs: number;
    minIterations: number;
    maxDurationMs: number;
    warmupIterations: number;
    roundTripsMs: number[];
    connectionsPerOrigin: number;
    /** The gateway's response and entity caches were on. */
    gatewayCache: boolean;
  };
  scale: Record<string, number>;
  inputs: Record<string, string>;
  scenarios: { id: string; title: string; screen: string; signedIn: boolean; graphqlQuery: string; restRequests: string }[];
  cells: CellResult[];
}

export const RESULTS_FILE = new URL('./results/rest-vs-graphql.json', import.meta.url);
const REPORT_FILE = new URL('./REPORT.md', import.meta.url);
const CHART_PREFIX = 'results/rest-vs-graphql';

const GRAPHQL: Series = { name: 'GraphQL (gateway)', color: '#b3247a' };
const REST: Series = { name: 'REST (services)', color: '#1f77b4' };
/** A difference within the spread of the rounds. */
const EVEN_COLOR = '#9e9e9e';

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(bytes < 10_000 ? 2 : 1)} kB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

export function formatRatio(ratio: number): string {
  if (ratio >= 10) return `${ratio.toFixed(0)}×`;
  // Close calls keep a second decimal: "1.04×", not a "1.0×" that reads as a tie.
  return ratio < 1.1 ? `${ratio.toFixed(2)}×` : `${ratio.toFixed(1)}×`;
}

const clients = (count: number) => `${count} client${count === 1 ? '' : 's'}`;

function formatDuration(seconds: number): string {
  return seconds < 90 ? `${seconds} s` : `${(seconds / 60).toFixed(1)} min`;
}

const number = (value: number) => (Number.isInteger(value) ? value.toLocaleString('en') : value.toFixed(1));

/**
 * Who is faster at p50, and by what factor (always ≥ 1); no winner when the styles' rounds
 * overlap (the slowest round of the faster style is slower than the fastest round of the other):
 * the difference is then within what the same measurement moves from one round to the next.
 */
export function latencyWinner(graphql: CellResult, rest: CellResult): { winner: Style | null; factor: number } {
  const ratio = rest.latencyMs.p50 / graphql.latencyMs.p50;
  const [faster, slower] = ratio >= 1 ? [graphql, rest] : [rest, graphql];
  const overlap = Math.max(...(faster.roundP50sMs ?? [faster.latencyMs.p50])) >= Math.min(...(slower.roundP50sMs ?? [slower.latencyMs.p50]));
  return { winner: overlap ? null : faster.style, factor: ratio >= 1 ? ratio : 1 / ratio };
}

function verdict({ winner, factor }: { winner: Style | null; factor: number }): string {
  return winner ? `${STYLE_NAME[winner]} ${formatRatio(factor)}` : `even (${formatRatio(factor)}, within the rounds' spread)`;
}

const STYLE_NAME: Record<Style, string> = { graphql: 'GraphQL', rest: 'REST' };

function pairs(results: BenchResults) {
  const find = (scenario: string, style: Style, rtt: number) =>
    results.cells.find((cell) => cell.scenario === scenario && cell.style === style && cell.rttMs === rtt);
  return results.scenarios.flatMap((scenario) =>
    results.settings.roundTripsMs.flatMap((rtt) => {
      const graphql = find(scenario.id, 'graphql', rtt);
      const rest = find(scenario.id, 'rest', rtt);
      return graphql && rest ? [{ scenario, rtt, graphql, rest }] : [];
    }),
  );
}

function rttLabel(rtt: number): string {
  return rtt === 0 ? 'loopback' : `${rtt} ms RTT`;
}

function charts(results: BenchResults): Record<string, string> {
  const all = pairs(results);
  const files: Record<string, string> = {};
  files[`${CHART_PREFIX}-speedup.svg`] = ratioChart({
    title: 'Who builds the screen faster (p50 latency)',
    subtitle: `Factor by which the faster style wins per scenario and client↔server RTT (grey: within the rounds' spread); ${clients(results.settings.concurrency)}, log scale`,
    left: { name: 'REST faster', color: REST.color },
    right: { name: 'GraphQL faster', color: GRAPHQL.color },
    groups: results.scenarios.map((scenario) => ({
      label: scenario.title,
      bars: all
        .filter((pair) => pair.scenario.id === scenario.id)
        .map((pair) => {
          const ratio = pair.rest.latencyMs.p50 / pair.graphql.latencyMs.p50;
          const even = latencyWinner(pair.graphql, pair.rest).winner === null;
          return {
            label: rttLabel(pair.rtt),
            ratio,
            text: `${formatRatio(ratio >= 1 ? ratio : 1 / ratio)}${even ? ' (even)' : ''}`,
            ...(even && { color: EVEN_COLOR }),
          };
        }),
    })),
  });
  /** GraphQL against REST for every scenario at one round-trip time: one bar each. */
  const styleChart = (title: string, subtitle: string, rtt: number, bar: (cell: CellResult) => { value: number; text: string }) =>
    barChart({
      title,
      subtitle,
      series: [GRAPHQL, REST],
      groups: all.filter((pair) => pair.rtt === rtt).map((pair) => ({ label: pair.scenario.title, bars: [bar(pair.graphql), bar(pair.rest)] })),
    });
  for (const rtt of results.settings.roundTripsMs) {
    files[`${CHART_PREFIX}-latency-${rtt}ms.svg`] = styleChart(
      `Latency per screen, ${rttLabel(rtt)}`,
      `p50 (p95 in brackets), ${clients(results.settings.concurrency)} at once`,
      rtt,
      (cell) => ({ value: cell.latencyMs.p50, text: `${formatMs(cell.latencyMs.p50)} (${formatMs(cell.latencyMs.p95)})` }),
    );
  }
  const loopback = Math.min(...results.settings.roundTripsMs);
  files[`${CHART_PREFIX}-bytes.svg`] = styleChart(
    'Bytes received per screen',
    'Response status lines, headers and bodies as counted on the client socket (no compression)',
    loopback,
    (cell) => ({ value: cell.perScreen.bytesDown, text: `${formatBytes(cell.perScreen.bytesDown)} in ${number(cell.profile.requests)} req.` }),
  );
  files[`${CHART_PREFIX}-throughput.svg`] = styleChart(
    `Screens per second, ${rttLabel(loopback)}`,
    `Throughput with ${clients(results.settings.concurrency)} at once: what the servers (and the 2-core machine) sustain`,
    loopback,
    (cell) => ({ value: cell.throughputPerSecond, text: `${cell.throughputPerSecond.toFixed(1)}/s` }),
  );
  return files;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The findings, one line per scenario, from the numbers. */
function findings(results: BenchResults): string[] {
  const all = pairs(results);
  return results.scenarios.map((scenario) => {
    const mine = all.filter((pair) => pair.scenario.id === scenario.id);
    const first = mine[0]!;
    const latency = mine
      .map((pair) => {
        return `${rttLabel(pair.rtt)} ${verdict(latencyWinner(pair.graphql, pair.rest))} (${formatMs(pair.graphql.latencyMs.p50)} vs ${formatMs(pair.rest.latencyMs.p50)})`;
      })
      .join('; ');
    const bytes = first.rest.perScreen.bytesDown / first.graphql.perScreen.bytesDown;
    const throughput = first.graphql.throughputPerSecond / first.rest.throughputPerSecond;
    return (
      `- **${scenario.title}**: REST needs ${number(first.rest.profile.requests)} request${first.rest.profile.requests === 1 ? '' : 's'} ` +
      `in ${first.rest.profile.steps} sequential step${first.rest.profile.steps === 1 ? '' : 's'} where GraphQL needs 1, and receives ` +
      `${formatBytes(first.rest.perScreen.bytesDown)} against ${formatBytes(first.graphql.perScreen.bytesDown)} ` +
      `(${bytes >= 1 ? `${formatRatio(bytes)} more` : `${formatRatio(1 / bytes)} less`}); ` +
      `SQL statements ${first.graphql.profile.sqlStatements} (GraphQL) vs ${first.rest.profile.sqlStatements} (REST). ` +
      `Faster at p50: ${latency}. Throughput at ${rttLabel(first.rtt)}: ` +
      `${throughput >= 1 ? `GraphQL ${formatRatio(throughput)}` : `REST ${formatRatio(1 / throughput)}`} ` +
      `(${first.graphql.throughputPerSecond.toFixed(1)} vs ${first.rest.throughputPerSecond.toFixed(1)} screens/s).`
    );
  });
}

function summaryTable(results: BenchResults): string {
  const all = pairs(results);
  const header = ['Scenario', 'Requests GraphQL / REST', 'Bytes down GraphQL / REST', 'SQL GraphQL / REST'];
  for (const rtt of results.settings.roundTripsMs) header.push(`p50 ${rttLabel(rtt)}: GraphQL / REST → winner`);
  return table(
    header,
    results.scenarios.map((scenario) => {
      const mine = all.filter((pair) => pair.scenario.id === scenario.id);
      const first = mine[0]!;
      return [
        scenario.title,
        `1 / ${number(first.rest.profile.requests)} (${first.rest.profile.steps} step${first.rest.profile.steps === 1 ? '' : 's'})`,
        `${formatBytes(first.graphql.perScreen.bytesDown)} / ${formatBytes(first.rest.perScreen.bytesDown)}`,
        `${first.graphql.profile.sqlStatements} / ${first.rest.profile.sqlStatements}`,
        ...mine.map((pair) => {
          return `${formatMs(pair.graphql.latencyMs.p50)} / ${formatMs(pair.rest.latencyMs.p50)} → **${verdict(latencyWinner(pair.graphql, pair.rest))}**`;
        }),
      ];
    }),
  );
}

function detailTable(results: BenchResults, scenarioId: string): string {
  const rows = results.cells
    .filter((cell) => cell.scenario === scenarioId)
    .sort((a, b) => a.rttMs - b.rttMs || a.style.localeCompare(b.style))
    .map((cell) => [
      rttLabel(cell.rttMs),
      STYLE_NAME[cell.style],
      number(cell.profile.requests),
      String(cell.profile.steps),
      formatBytes(cell.perScreen.bytesDown),
      formatBytes(cell.perScreen.bytesUp),
      String(cell.profile.sqlStatements),
      formatMs(cell.latencyMs.p50),
      formatMs(cell.latencyMs.p95),
      formatMs(cell.latencyMs.p99),
      cell.throughputPerSecond.toFixed(1),
      String(cell.screens),
    ]);
  return table(['RTT', 'Style', 'Requests', 'Steps', 'Bytes down', 'Bytes up', 'SQL', 'p50', 'p95', 'p99', 'Screens/s', 'Screens timed'], rows);
}

/** Each style's wins: where it has the lower p50, by how much; then bytes and throughput. */
function winsByStyle(results: BenchResults): string[] {
  const all = pairs(results);
  const lines: string[] = [];
  for (const style of ['graphql', 'rest', null] as const) {
    const won = results.scenarios.flatMap((scenario) => {
      const mine = all
        .filter((pair) => pair.scenario.id === scenario.id)
        .map((pair) => ({ rtt: pair.rtt, ...latencyWinner(pair.graphql, pair.rest) }))
        .filter((result) => result.winner === style);
      if (mine.length === 0) return [];
      return [`*${scenario.title}* (${mine.map((result) => `${rttLabel(result.rtt)} ${formatRatio(result.factor)}`).join(', ')})`];
    });
    const who = style ? `${STYLE_NAME[style]} has the lower p50` : "Even (the two styles' rounds overlap)";
    lines.push(`- **${who}** on ${won.length ? won.join('; ') : 'no screen'}.`);
  }
  const loopback = all.filter((pair) => pair.rtt === Math.min(...results.settings.roundTripsMs));
  const bytes = (style: Style) =>
    loopback
      .map((pair) => ({ pair, ratio: pair.rest.perScreen.bytesDown / pair.graphql.perScreen.bytesDown }))
      .filter(({ ratio }) => (style === 'graphql' ? ratio > 1 : ratio < 1))
      .map(({ pair, ratio }) => `*${pair.scenario.title}* (${formatRatio(ratio > 1 ? ratio : 1 / ratio)})`);
  lines.push(`- **GraphQL receives fewer bytes** on ${bytes('graphql').join('; ') || 'no screen'}; **REST** on ${bytes('rest').join('; ') || 'no screen'}.`);
  const throughput = (style: Style) =>
    loopback
      .map((pair) => ({ pair, ratio: pair.graphql.throughputPerSecond / pair.rest.throughputPerSecond }))
      .filter(({ ratio }) => (style === 'graphql' ? ratio > 1 : ratio < 1))
      .map(({ pair, ratio }) => `*${pair.scenario.title}* (${formatRatio(ratio > 1 ? ratio : 1 / ratio)})`);
  lines.push(
    `- **More screens per second at ${rttLabel(loopback[0]?.rtt ?? 0)}** (where the machine, not the network, is the limit): ` +
      `GraphQL on ${throughput('graphql').join('; ') || 'no screen'}; REST on ${throughput('rest').join('; ') || 'no screen'}.`,
  );
  return lines;
}

function scoreboard(results: BenchResults): string {
  const all = pairs(results);
  const wins = { graphql: 0, rest: 0, even: 0 };
  for (const pair of all) wins[latencyWinner(pair.graphql, pair.rest).winner ?? 'even'] += 1;
  return (
    `Of ${all.length} scenario × round-trip pairs, GraphQL has the lower p50 in ${wins.graphql}, REST in ${wins.rest}` +
    `${wins.even ? `, and ${wins.even} are even (each style measured in two rounds, alternating; "even" when the rounds overlap)` : ''}.`
  );
}

export function renderReport(results: BenchResults): { markdown: string; charts: Record<string, string> } {
  const chartFiles = charts(results);
  const { settings, machine, versions } = results;
  const image = (file: string, alt: string) => `![${alt}](${file})`;
  const markdown = `# REST vs GraphQL: benchmark report

Generated by \`npm run bench:rest\` on ${results.date.slice(0, 16).replace('T', ' ')} UTC in ${formatDuration(results.durationSeconds)}; do not
edit by hand (\`npm run bench:rest -- --report-only\` redraws it from
[\`results/rest-vs-graphql.json\`](results/rest-vs-graphql.json)).

The same screens built two ways, on the same services and data: one GraphQL query through the
federation gateway, or the REST endpoints of the three services (users on one, posts and comments
on another, orders and products on the third) composed as a frontend would, with every request
that does not wait for another sent at once. Before timing, the benchmark checks that both styles
produce the same view model for each screen.

## Summary

${scoreboard(results)}

${summaryTable(results)}

${findings(results).join('\n')}

${image(`${CHART_PREFIX}-speedup.svg`, 'Who is faster, by how much, per scenario and round-trip time')}

## Where each style wins

${winsByStyle(results).join('\n')}

What drives the differences (the mechanisms; the numbers above say how much each weighs here):

- **Round trips.** REST pays one client↔server round trip per dependent step, and more when a
  step has more requests than the ${settings.connectionsPerOrigin} connections a browser opens per origin. GraphQL pays one;
  the gateway does the fan-out next to the services, where round trips are cheap. The longer the
  network's round trip, the more this dominates.
- **The gateway's fixed cost.** A GraphQL request is parsed, validated, checked against the
  limits, planned, and sent on to one or more subgraphs (a second HTTP hop each, sequential when
  one subgraph needs another's answer); a REST request goes straight to the service owning the
  data. On a screen that is one resource, that cost is all the difference.
- **Batching.** The subgraphs load what one query needs for many parents in one SQL statement
  per level (DataLoader); REST endpoints called one by one cannot batch across requests, so SQL
  statements grow with the number of requests.
- **Over-fetching.** A REST resource comes whole: every field, whatever the screen shows. GraphQL
  sends the fields asked for, inside its \`data\`/\`edges\`/\`node\` envelope. The users here are
  small records, so this costs REST bytes more than time; resources with long text fields grow it.
- **HTTP caching.** REST's \`ETag\` turns a stale copy into a \`304 Not Modified\` without a body;
  a GraphQL POST has no HTTP validator and gets the whole result again. Within \`max-age\` a
  browser does not ask at all (0 requests, 0 bytes), a case this benchmark does not time.

## Charts

${settings.roundTripsMs.map((rtt) => image(`${CHART_PREFIX}-latency-${rtt}ms.svg`, `Latency per screen, ${rttLabel(rtt)}`)).join('\n\n')}

${image(`${CHART_PREFIX}-bytes.svg`, 'Bytes received per screen')}

${image(`${CHART_PREFIX}-throughput.svg`, 'Screens per second at loopback')}

## Scenarios

${results.scenarios
  .map(
    (scenario) => `### ${scenario.title}

Shows ${scenario.screen}.${scenario.signedIn ? ' Both clients send the bearer access token with every request, as a signed-in frontend does.' : ''}

- GraphQL, one request:
  \`\`\`graphql
${scenario.graphqlQuery
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
  \`\`\`
- REST (\`‖\` in parallel, \`→\` next step): ${scenario.restRequests}

${detailTable(results, scenario.id)}`,
  )
  .join('\n\n')}

## Setup

| | |
| --- | --- |
| Machine | ${machine.cpus}, ${machine.memoryGiB} GiB, ${machine.platform}; 1-minute load average ${results.loadAverage.before.toFixed(1)} when the timing began, ${results.loadAverage.after.toFixed(1)} when it ended |
| Commit | ${results.commit ?? 'unknown'} |
| Versions | ${Object.entries(versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')} |
| Data | ${Object.entries(results.scale)
    .map(([table, count]) => `${count.toLocaleString('en')} ${table}`)
    .join(', ')} (\`npm run db:seed -- --scale bench\`) |
| Inputs | user ${results.inputs.userId} (user page), signed-in user ${results.inputs.viewerId} (dashboard), product ${results.inputs.productId} |
| Load | ${settings.concurrency} virtual client${settings.concurrency === 1 ? '' : 's'}, each building the screen again as soon as it has it (closed loop); per scenario, style and round-trip time at least ${settings.minDurationMs / 1000} s and ${settings.minIterations} screens (at most ${settings.maxDurationMs / 1000} s), after ${settings.warmupIterations} untimed screen per client |
| Network | Loopback, and ${settings.roundTripsMs.filter((rtt) => rtt > 0).join(' and ')} ms round trips added by a delay proxy (\`bench/delay-proxy.ts\`) between the client and every service; the gateway reaches the subgraphs over loopback (same data centre) |
| Processes | The gateway and each subgraph in a process of its own; PostgreSQL embedded; client, proxies, services and database share the machine |

## How it is measured

- **Requests** and **steps**: counted by the client. A step is a set of requests sent together
  because none needs another's answer; the steps are the round trips on the critical path (when
  a step has more requests than the ${settings.connectionsPerOrigin} connections a browser opens per origin over HTTP/1.1, it
  takes several round trips: the client enforces that limit).
- **Bytes**: counted on the client's sockets for each exchange: status line, headers, body and
  chunked framing, exactly as they crossed the wire (\`bench/http-client.ts\`). *Bytes down* is
  what the client received; *bytes up* what it sent (a GraphQL request carries its query). No
  compression on either side.
- **SQL statements**: every statement the services' Prisma clients send, counted at the driver
  adapter (\`lib/sql-statements.ts\`), the same counter for both: GraphQL reports it with
  \`x-debug-sql: 1\` in \`extensions.sqlStatements\` summed over the subgraphs, REST in an
  \`x-sql-statements\` response header (outside production), summed over the requests of the
  screen. Counted in a separate pass; the timed screens do not ask for it (it has a cost).
- **Latency**: wall time for the whole screen, all of its requests, at fixed concurrency;
  nearest-rank p50/p95/p99. **Throughput**: screens completed per second over the timed period.
- **Same data**: both styles must build deep-equal view models before anything is timed.

## Caveats

- One 2-core machine runs the client, the delay proxies, four Node.js processes and PostgreSQL:
  at loopback, throughput measures how each style spends that CPU, not a production cluster.
  Whatever else runs on the machine shows in the load average above; the alternating rounds
  spread it over both styles, and "even" marks a difference smaller than the rounds' own spread.
- The delay proxy delays data, not TCP handshakes: connections are kept alive and opened during
  warm-up, as a browser's would be, so neither style pays connection set-up in the timed screens.
- HTTP/1.1 with ${settings.connectionsPerOrigin} connections per origin, as browsers do without HTTP/2. Over HTTP/2 a step's
  requests would share one connection and each step would cost about one round trip, which helps
  REST on the N+1 screen (it would still need 2 steps and 101 requests).
- GraphQL can be HTTP-cached too: queries sent as GET (persisted queries) with the Cache-Control
  the schema's \`@cacheControl\` hints allow. This benchmark sends every query as a POST.
- REST endpoints are plain resources; a purpose-built endpoint per screen (a "backend for
  frontend") or \`?include=\`/sparse fieldsets would remove most of REST's extra round trips and
  bytes, at the cost of an endpoint per screen.
- The gateway runs with its depth, cost and document limits on and its rate limit off, and with
  its response and entity caches ${settings.gatewayCache ? "**on** (`--gateway-cache`): repeated GraphQL screens may be answered from the gateway's memory" : 'off: every GraphQL screen is fetched from the subgraphs, as every REST request is from its service (`--gateway-cache` measures with them on)'}.
`;
  return { markdown, charts: chartFiles };
}

/** Writes the results, the charts and REPORT.md; returns the paths written, relative to the repository. */
export async function writeReport(results: BenchResults, options: { writeResults?: boolean } = {}): Promise<string[]> {
  const written: string[] = [];
  if (options.writeResults) {
    await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    written.push('bench/results/rest-vs-graphql.json');
  }
  const { markdown, charts: chartFiles } = renderReport(results);
  for (const [file, svg] of Object.entries(chartFiles)) {
    await writeFile(new URL(`./${file}`, import.meta.url), svg);
    written.push(`bench/${file}`);
  }
  await writeFile(REPORT_FILE, markdown);
  written.push('bench/REPORT.md');
  return written;
}
