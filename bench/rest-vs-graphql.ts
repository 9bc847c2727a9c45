// `npm run bench:rest`: the federated GraphQL API against its REST equivalents, screen by
// screen, on the benchmark-scale data. For each scenario and style: HTTP requests, sequential
// steps, bytes on the wire, SQL statements, latency p50/p95/p99 at fixed concurrency and
// throughput, at loopback and through delay proxies adding client↔server round-trip times.
// Writes bench/results/rest-vs-graphql.json, the charts, and bench/REPORT.md.
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { DatabaseUrls } from '../prisma/postgres.ts';
import { SCALES } from '../prisma/seed.ts';
import { connectOrdersDatabase } from '../subgraphs/orders/src/db.ts';
import { connectPostsDatabase } from '../subgraphs/posts/src/db.ts';
import { connectUsersDatabase } from '../subgraphs/users/src/db.ts';
import { GraphQLClient, RestClient, type Origins } from './api-clients.ts';
import { openBenchDatabases } from './databases.ts';
import { BROWSER_CONNECTIONS_PER_ORIGIN } from './http-client.ts';
import { startDelayProxy, type DelayProxy } from '../test/delay-proxy.ts';
import { runLoad, type LoadSettings, type VirtualClient } from './load.ts';
import { RESULTS_FILE, writeReport, type BenchResults, type CellResult, type Style, type Profile } from './report.ts';
import { SCENARIOS, type Scenario, type ScenarioInputs } from './scenarios.ts';
import { startStackProcesses, type ServiceName } from './stack-processes.ts';
import { currentCommit, formatMs, installedVersion, machine, percentile } from './stats.ts';
import { optionsOrExit } from '#lib/service/startup-errors.ts';

const HELP = `Usage: npm run bench:rest [-- options]

Builds each screen of bench/scenarios.ts with one GraphQL query through the gateway and with the
REST endpoints of the services (composed as a frontend does: independent requests in parallel,
at most 6 connections per origin as a browser), on the benchmark-scale data in databases of its
own (prefix bench_, on DATABASE_URL or an embedded PostgreSQL under .data/postgres-bench; seeded
on the first run, about 10 s). The gateway and the subgraphs run as separate processes.

  --concurrency N     virtual clients building the screen at once (default 4)
  --duration S        seconds to time each scenario × style × RTT, at least (default 6)
  --min-iterations N  screens to time at least, when the duration gives fewer (default 20)
  --max-duration S    seconds at most per scenario × style × RTT (default 12)
  --rtt LIST          client↔server round-trip times in ms, through a delay proxy in front of
                      every service (default 0,20,80; 0 is loopback, no proxy)
  --gateway-cache     leave the gateway's response and entity caches on (off by default, so
                      that both styles fetch every screen from the services and databases)
  --scenarios LIST    scenario ids (default: all: ${SCENARIOS.map((scenario) => scenario.id).join(', ')})
  --report-only       regenerate bench/REPORT.md and the charts from the last results
  -h, --help          show this text`;

const { values } = optionsOrExit(
  {
    options: {
      concurrency: { type: 'string', default: '4' },
      duration: { type: 'string', default: '6' },
      'min-iterations': { type: 'string', default: '20' },
      'max-duration': { type: 'string', default: '12' },
      rtt: { type: 'string', default: '0,20,80' },
      scenarios: { type: 'string' },
      'gateway-cache': { type: 'boolean', default: false },
      'report-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  'npm run bench:rest',
  HELP,
);

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (values['report-only']) {
  const results = JSON.parse(await readFile(RESULTS_FILE, 'utf8')) as BenchResults;
  for (const file of await writeReport(results)) console.log(`Wrote ${file}`);
  process.exit(0);
}

const positive = (name: string, raw: string, min = 1) => {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) fail(`--${name} must be a number of at least ${min} (got "${raw}").`);
  return value;
};
const settings: LoadSettings = {
  concurrency: Math.round(positive('concurrency', values.concurrency)),
  minDurationMs: positive('duration', values.duration, 0.1) * 1000,
  minIterations: Math.round(positive('min-iterations', values['min-iterations'])),
  maxDurationMs: positive('max-duration', values['max-duration'], 0.1) * 1000,
  warmupIterations: 1,
};
const roundTrips = values.rtt.split(',').map(Number);
if (roundTrips.some((rtt) => !Number.isInteger(rtt) || rtt < 0 || rtt > 500)) {
  fail('--rtt must be a comma-separated list of whole milliseconds from 0 to 500, e.g. 0,20,80.');
}
const scenarios = values.scenarios
  ? values.scenarios.split(',').map((id) => SCENARIOS.find((scenario) => scenario.id === id) ?? fail(`Unknown scenario "${id}".`))
  : SCENARIOS;

/** The scenarios' ids, chosen from the data so that every screen is full (5 posts with 2 comments each, ...). */
async function pickInputs(urls: DatabaseUrls): Promise<ScenarioInputs & { viewerEmail: string }> {
  const users = connectUsersDatabase(urls.users);
  const posts = connectPostsDatabase(urls.posts);
  const orders = connectOrdersDatabase(urls.orders);
  try {
    // Authors whose `n` newest posts all have at least `comments` comments.
    const authorsWithFullPosts = async (n: number, comments: number) =>
      (
        await posts.$queryRawUnsafe<{ authorId: number }[]>(
          `SELECT author."authorId" FROM (SELECT DISTINCT "authorId" FROM "Post" WHERE "authorId" <= 200) AS author
           WHERE (SELECT count(*) FROM (
             SELECT p.id FROM "Post" p WHERE p."authorId" = author."authorId" ORDER BY p."createdAt" DESC, p.id DESC LIMIT ${n}
           ) AS newest WHERE (SELECT count(*) FROM "Comment" c WHERE c."postId" = newest.id) >= ${comments}) = ${n}
           ORDER BY author."authorId"`,
        )
      ).map((row) => row.authorId);
    const userId = (await authorsWithFullPosts(5, 2))[0];
    const withOrders = new Set(
      (await orders.order.groupBy({ by: ['buyerId'], where: { buyerId: { lte: 200 } }, _count: { _all: true } }))
        .filter((group) => group._count._all >= 3)
        .map((group) => group.buyerId),
    );
    // A plain user (not an admin), so the dashboard's rules are the usual ones.
    const plainUsers = new Set((await users.user.findMany({ where: { role: 'USER', id: { lte: 200 } }, select: { id: true } })).map((user) => user.id));
    const viewerId = (await authorsWithFullPosts(3, 1)).find((id) => withOrders.has(id) && plainUsers.has(id) && id !== userId);
    const product = await orders.product.findFirst({ orderBy: { id: 'asc' }, skip: 499 });
    if (!userId || !viewerId || !product) throw new Error('The benchmark data has no user, viewer or product that fits the scenarios.');
    const viewer = await users.user.findUniqueOrThrow({ where: { id: viewerId } });
    return { userId: String(userId), viewerId: String(viewerId), viewerEmail: viewer.email, productId: String(product.id) };
  } finally {
    await Promise.all([users.$disconnect(), posts.$disconnect(), orders.$disconnect()]);
  }
}

async function signIn(origins: Origins, email: string): Promise<string> {
  const client = new GraphQLClient({ origins });
  try {
    const data = await client.query<{ logIn: { accessToken: string } }>(
      `mutation ($email: String!) { logIn(input: { email: $email, password: "demo-password" }, delivery: BODY) { accessToken } }`,
      { email },
    );
    return data.logIn.accessToken;
  } finally {
    client.close();
  }
}

function makeClient(style: Style, origins: Origins, token: string | undefined, countSql = false) {
  return style === 'graphql' ? new GraphQLClient({ origins, token, countSql }) : new RestClient({ origins, token, countSql });
}

async function build(scenario: Scenario, style: Style, client: GraphQLClient | RestClient, inputs: ScenarioInputs) {
  client.steps = 0;
  return style === 'graphql' ? scenario.graphql.build(client as GraphQLClient, inputs) : scenario.rest.build(client as RestClient, inputs);
}

/**
 * Each screen once per style at loopback, after a first untimed build (the REST client's copy
 * for revalidation): both styles must produce the same view; records the requests, steps,
 * bytes and SQL statements of one screen.
 */
async function profile(scenario: Scenario, origins: Origins, token: string | undefined, inputs: ScenarioInputs) {
  const profiles = {} as Record<Style, Profile>;
  const views = {} as Record<Style, unknown>;
  for (const style of ['graphql', 'rest'] as const) {
    const client = makeClient(style, origins, token, true);
    try {
      await build(scenario, style, client, inputs);
      client.sqlStatements = 0;
      client.http.takeTraffic();
      views[style] = await build(scenario, style, client, inputs);
      const traffic = client.http.takeTraffic();
      profiles[style] = { requests: traffic.requests, steps: client.steps, sqlStatements: client.sqlStatements };
    } finally {
      client.close();
    }
  }
  if (!isDeepStrictEqual(views.graphql, views.rest)) {
    throw new Error(
      `${scenario.id}: the GraphQL and REST screens differ:\n${JSON.stringify(views.graphql).slice(0, 400)}\n${JSON.stringify(views.rest).slice(0, 400)}`,
    );
  }
  return { profiles, view: views.graphql };
}

/** The origins as a client sees them: direct at 0 ms, otherwise through a delay proxy each. */
async function originsAt(rtt: number, direct: Origins): Promise<{ origins: Origins; proxies: DelayProxy[] }> {
  if (rtt === 0) return { origins: direct, proxies: [] };
  const services = Object.keys(direct) as ServiceName[];
  const proxies = await Promise.all(
    services.map((service) => {
      const url = new URL(direct[service]);
      return startDelayProxy({ host: url.hostname, port: Number(url.port) }, rtt);
    }),
  );
  const origins = Object.fromEntries(services.map((service, index) => [service, `http://127.0.0.1:${proxies[index]!.port}`])) as Origins;
  return { origins, proxies };
}

const STYLE_LABEL: Record<Style, string> = { graphql: 'GraphQL', rest: 'REST' };

/** What one style's rounds of a scenario at one round-trip time add up to. */
interface Accumulated {
  latencies: number[];
  /** Each round's p50: how much the same measurement moves from one round to the next. */
  roundP50s: number[];
  elapsedMs: number;
  traffic: { requests: number; bytesDown: number; bytesUp: number };
}

/** One round: fresh virtual clients (one untimed screen each), then the timed closed loop. */
async function round(
  scenario: Scenario,
  style: Style,
  origins: Origins,
  token: string | undefined,
  inputs: ScenarioInputs,
  into: Accumulated,
  progress: (done: number, elapsedMs: number) => void,
) {
  const clients = Array.from({ length: settings.concurrency }, () => makeClient(style, origins, token));
  const virtual: VirtualClient[] = clients.map((client) => ({
    iterate: async () => {
      await build(scenario, style, client, inputs);
    },
    startCounting: () => client.http.takeTraffic(),
  }));
  try {
    const result = await runLoad(
      virtual,
      {
        warmupIterations: settings.warmupIterations,
        minDurationMs: settings.minDurationMs / ROUNDS_PER_STYLE,
        minIterations: Math.ceil(settings.minIterations / ROUNDS_PER_STYLE),
        maxDurationMs: settings.maxDurationMs / ROUNDS_PER_STYLE,
      },
      (done, elapsed) => progress(into.latencies.length + done, into.elapsedMs + elapsed),
    );
    into.latencies.push(...result.latencies);
    into.roundP50s.push(percentile(result.latencies, 0.5));
    into.elapsedMs += result.elapsedMs;
    for (const client of clients) {
      const traffic = client.http.takeTraffic();
      into.traffic.requests += traffic.requests;
      into.traffic.bytesDown += traffic.bytesDown;
      into.traffic.bytesUp += traffic.bytesUp;
    }
  } finally {
    for (const client of clients) client.close();
  }
}

/**
 * Both styles of a scenario at one round-trip time, in rounds ordered GraphQL, REST, REST,
 * GraphQL: a machine whose load drifts during the measurement (other processes, PostgreSQL's
 * background work) weighs on both styles alike.
 */
const ROUNDS_PER_STYLE = 2;
const ROUND_ORDER: Style[] = ['graphql', 'rest', 'rest', 'graphql'];

async function measurePair(
  scenario: Scenario,
  rtt: number,
  origins: Origins,
  token: string | undefined,
  inputs: ScenarioInputs,
  label: (style: Style) => string,
): Promise<Record<Style, Omit<CellResult, 'profile'>>> {
  const accumulated: Record<Style, Accumulated> = {
    graphql: { latencies: [], roundP50s: [], elapsedMs: 0, traffic: { requests: 0, bytesDown: 0, bytesUp: 0 } },
    rest: { latencies: [], roundP50s: [], elapsedMs: 0, traffic: { requests: 0, bytesDown: 0, bytesUp: 0 } },
  };
  for (const style of ROUND_ORDER) {
    await round(scenario, style, origins, token, inputs, accumulated[style], (done, elapsed) =>
      process.stdout.write(`\r${label(style)} ${done} screens, ${(elapsed / 1000).toFixed(1)} s     `),
    );
  }
  const cell = (style: Style): Omit<CellResult, 'profile'> => {
    const { latencies, roundP50s, elapsedMs, traffic } = accumulated[style];
    const screens = latencies.length;
    const result = {
      scenario: scenario.id,
      style,
      rttMs: rtt,
      screens,
      elapsedMs,
      throughputPerSecond: screens / (elapsedMs / 1000),
      latencyMs: {
        p50: percentile(latencies, 0.5),
        p95: percentile(latencies, 0.95),
        p99: percentile(latencies, 0.99),
        mean: latencies.reduce((sum, ms) => sum + ms, 0) / screens,
      },
      roundP50sMs: roundP50s,
      perScreen: { requests: traffic.requests / screens, bytesDown: traffic.bytesDown / screens, bytesUp: traffic.bytesUp / screens },
    };
    process.stdout.write(
      `\r${label(style)} ${screens} screens: p50 ${formatMs(result.latencyMs.p50)}, p95 ${formatMs(result.latencyMs.p95)}, ` +
        `${result.throughputPerSecond.toFixed(1)}/s, ${Math.round(result.perScreen.bytesDown).toLocaleString('en')} B down\n`,
    );
    return result;
  };
  return { graphql: cell('graphql'), rest: cell('rest') };
}

process.env.LOG_LEVEL ??= 'warn';
const startedAt = performance.now();
const databases = await openBenchDatabases();
let stack: Awaited<ReturnType<typeof startStackProcesses>> | undefined;
try {
  const inputs = await pickInputs(databases.urls);
  console.log(`Scenario inputs: user ${inputs.userId}, signed-in user ${inputs.viewerId} (${inputs.viewerEmail}), product ${inputs.productId}.`);
  console.log('Starting the gateway and the three subgraphs as separate processes...');
  stack = await startStackProcesses(databases.urls, { gatewayCache: values['gateway-cache'] });
  const token = await signIn(stack.origins, inputs.viewerEmail);
  const tokenFor = (scenario: Scenario) => (scenario.signedIn ? token : undefined);

  console.log('Checking that both styles build the same screens, and counting requests and SQL statements:');
  const profiles = new Map<string, Record<Style, Profile>>();
  for (const scenario of scenarios) {
    const { profiles: both } = await profile(scenario, stack.origins, tokenFor(scenario), inputs);
    profiles.set(scenario.id, both);
    console.log(
      `  ${scenario.id.padEnd(28)} GraphQL ${both.graphql.requests} request, ${both.graphql.sqlStatements} SQL · ` +
        `REST ${both.rest.requests} requests in ${both.rest.steps} steps, ${both.rest.sqlStatements} SQL`,
    );
  }

  const loadBefore = loadavg()[0]!;
  const cells: CellResult[] = [];
  const total = roundTrips.length * scenarios.length;
  console.log(`Timing ${total} scenario × round-trip pairs, ${settings.concurrency} clients at once, GraphQL and REST in alternating rounds:`);
  for (const rtt of roundTrips) {
    const { origins, proxies } = await originsAt(rtt, stack.origins);
    try {
      for (const scenario of scenarios) {
        const position = `[${String(cells.length / 2 + 1).padStart(2)}/${total}]`;
        const label = (style: Style) => `${position} ${String(rtt).padStart(2)} ms RTT · ${scenario.id.padEnd(27)} · ${STYLE_LABEL[style].padEnd(7)}`;
        const pair = await measurePair(scenario, rtt, origins, tokenFor(scenario), inputs, label);
        for (const style of ['graphql', 'rest'] as const) cells.push({ ...pair[style], profile: profiles.get(scenario.id)![style] });
      }
    } finally {
      for (const proxy of proxies) await proxy.close();
    }
  }

  const results: BenchResults = {
    benchmark: 'rest-vs-graphql',
    date: new Date().toISOString(),
    durationSeconds: Math.round((performance.now() - startedAt) / 1000),
    commit: currentCommit(),
    machine: machine(),
    loadAverage: { before: loadBefore, after: loadavg()[0]! },
    versions: await versions(),
    settings: { ...settings, roundTripsMs: roundTrips, connectionsPerOrigin: BROWSER_CONNECTIONS_PER_ORIGIN, gatewayCache: values['gateway-cache'] },
    scale: SCALES.bench,
    inputs: { userId: inputs.userId, viewerId: inputs.viewerId, productId: inputs.productId },
    scenarios: scenarios.map((scenario) => ({
      id: scenario.id,
      title: scenario.title,
      screen: scenario.screen,
      signedIn: scenario.signedIn ?? false,
      graphqlQuery: scenario.graphql.query,
      restRequests: scenario.rest.requests,
    })),
    cells,
  };
  for (const file of await writeReport(results, { writeResults: true })) console.log(`Wrote ${file}`);
  console.log(`Done in ${((performance.now() - startedAt) / 60_000).toFixed(1)} min.`);
} finally {
  await stack?.stop();
  await databases.stop();
}

async function versions() {
  const postgres = connectUsersDatabase(databases.urls.users);
  try {
    const [row] = await postgres.$queryRawUnsafe<{ server_version: string }[]>('SHOW server_version');
    return {
      node: process.version,
      postgres: row?.server_version ?? 'unknown',
      '@apollo/gateway': await installedVersion('@apollo/gateway'),
      '@apollo/server': await installedVersion('@apollo/server'),
      express: await installedVersion('express'),
      '@prisma/client': await installedVersion('@prisma/client'),
      graphql: await installedVersion('graphql'),
    };
  } finally {
    await postgres.$disconnect();
  }
}
