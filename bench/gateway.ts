// `npm run bench:gateway`: the project's gateway (caches off, caches on) against vanilla Apollo
// Gateway with stock settings and a bare node:http server answering with the same bytes, on the
// same subgraph processes, supergraph and queries, under autocannon. Four workloads, plus the
// subgraph called directly for one product. Writes bench/results/gateway.json, the chart and
// bench/GATEWAY.md with the targets evaluated.
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { environment } from '#lib/service/env.ts';
import { SCALES } from '../prisma/seed.ts';
import type { DatabaseUrls } from '../prisma/postgres.ts';
import { connectOrdersDatabase } from '../subgraphs/orders/src/db.ts';
import { connectPostsDatabase } from '../subgraphs/posts/src/db.ts';
import { connectUsersDatabase } from '../subgraphs/users/src/db.ts';
import { openBenchDatabases } from './databases.ts';
import {
  lastNPlusOneResult,
  RESULTS_FILE,
  TARGET_NAMES,
  WORKLOAD_HEADER,
  evaluateTargets,
  workloadRows,
  writeGatewayReport,
  type CellResult,
  type GatewayBenchResults,
  type SampledProcess,
  type TargetId,
  type Workload,
  type WorkloadId,
} from './gateway-report.ts';
import { sampleProcesses, type ProcessUsage } from './process-usage.ts';
import { startStackProcesses, type ServiceProcess } from './stack-processes.ts';
import { currentCommit, installedVersion, machine, percentile, table } from './stats.ts';
import { optionsOrExit } from '#lib/service/startup-errors.ts';

const HELP = `Usage: npm run bench:gateway [-- options]

On the benchmark-scale seed (${SCALES.bench.users.toLocaleString('en')} users, in databases of their own: prefix bench_ on
DATABASE_URL, or an embedded PostgreSQL under .data/postgres-bench), the three subgraphs run as
processes, and over them, each in a process of its own: our gateway with caches off, our gateway
with caches on (in memory; in Redis when REDIS_URL is set), vanilla @apollo/gateway under
@apollo/server's standalone server, and a bare node:http server answering with the same bytes.
autocannon loads each with four workloads, in alternating rounds:

  product              one product by id (and the orders subgraph called directly with it)
  user-page-varied     the user page (5 posts, 2 comments each, their authors) of a different
                       seeded user on every request
  user-page-identical  the same user page on every request, so concurrent requests are identical
  feed                 10 posts with their authors and 5 products: all three subgraphs

  --connections N  keep-alive connections autocannon keeps busy (default 20)
  --rounds N       rounds per target and workload (default 2)
  --seconds S      length of a round (default 5)
  --warmup S       untimed load before a target's first round of a workload (default 1)
  --workloads LIST workload ids (default: all)
  --report-only    redraw bench/GATEWAY.md and its chart from bench/results/gateway.json (and
                   the N+1 target from the latest bench/results/n-plus-one.json)
  -h, --help       show this text

With the defaults, a run took 5 to 6.5 minutes on a busy 2-core machine. Writes bench/results/gateway.json,
bench/results/gateway-throughput.svg and bench/GATEWAY.md.`;

const { values } = optionsOrExit(
  {
    options: {
      connections: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '2' },
      seconds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      workloads: { type: 'string' },
      'report-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  'npm run bench:gateway',
  HELP,
);

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (values['report-only']) {
  // The N+1 target comes from bench:n+1's own results: the latest, when it ran after this benchmark.
  const saved = JSON.parse(await readFile(RESULTS_FILE, 'utf8')) as GatewayBenchResults;
  const results = { ...saved, nPlusOne: (await lastNPlusOneResult()) ?? saved.nPlusOne };
  for (const file of await writeGatewayReport(results)) console.log(`Wrote ${file}`);
  process.exit(0);
}

const number = (name: string, raw: string, min: number) => {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) fail(`--${name} must be a number of at least ${min} (got "${raw}").`);
  return value;
};
const settings = {
  connections: Math.round(number('connections', values.connections, 1)),
  rounds: Math.round(number('rounds', values.rounds, 1)),
  roundSeconds: number('seconds', values.seconds, 1),
  warmupSeconds: number('warmup', values.warmup, 0),
  cacheStore: environment().REDIS_URL ? 'Redis' : 'memory',
};

const PRODUCT = 'query Product($id: ID!) { product(id: $id) { name priceCents stock } }';
const USER_PAGE =
  'query UserPage($id: ID!) { user(id: $id) { name posts(first: 5) { edges { node { title createdAt comments(first: 2) { edges { node { text author { name } } } } } } } } }';
const FEED = 'query Feed { posts(first: 10) { edges { node { title createdAt author { name } } } } products(first: 5) { edges { node { name priceCents } } } }';

const WORKLOADS: Workload[] = [
  { id: 'product', title: 'One product by id', query: PRODUCT, variables: 'the same product on every request' },
  { id: 'user-page-varied', title: 'User page, id varied', query: USER_PAGE, variables: 'a different seeded user on every request, in a shuffled order' },
  { id: 'user-page-identical', title: 'User page, identical', query: USER_PAGE, variables: 'the same user on every request' },
  { id: 'feed', title: 'Feed, three subgraphs', query: FEED, variables: 'no variables' },
];
const workloads = values.workloads
  ? values.workloads.split(',').map((id) => WORKLOADS.find((workload) => workload.id === id) ?? fail(`Unknown workload "${id}".`))
  : WORKLOADS;

/** The seeded users' ids (shuffled, the same order every run), a user with 5 posts, and a product. */
async function pickInputs(urls: DatabaseUrls) {
  const users = connectUsersDatabase(urls.users);
  const posts = connectPostsDatabase(urls.posts);
  const orders = connectOrdersDatabase(urls.orders);
  try {
    const ids = (await users.user.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((user) => String(user.id));
    const [author] = await posts.$queryRawUnsafe<{ authorId: number }[]>(
      'SELECT "authorId" FROM "Post" GROUP BY "authorId" HAVING count(*) >= 5 ORDER BY "authorId" LIMIT 1',
    );
    const product = await orders.product.findFirst({ orderBy: { id: 'asc' } });
    if (ids.length === 0 || !author || !product) throw new Error('The benchmark data has no users, author or product: is it seeded?');
    // A fixed permutation (a multiplier coprime with the count): every target walks the users in
    // the same order, and one user comes back only after all the others.
    let step = 7919;
    while (gcd(step, ids.length) !== 1) step++;
    const shuffled = ids.map((_, index) => ids[(index * step) % ids.length]!);
    return { userIds: shuffled, authorId: String(author.authorId), productId: String(product.id) };
  } finally {
    await Promise.all([users.$disconnect(), posts.$disconnect(), orders.$disconnect()]);
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

interface Inputs {
  userIds: string[];
  authorId: string;
  productId: string;
}

/** The request bodies of a workload: one for the repeated workloads, one per user for the varied one. */
function bodiesOf(workload: WorkloadId, inputs: Inputs): string[] {
  switch (workload) {
    case 'product':
      return [JSON.stringify({ query: PRODUCT, variables: { id: inputs.productId } })];
    case 'user-page-varied':
      return inputs.userIds.map((id) => JSON.stringify({ query: USER_PAGE, variables: { id } }));
    case 'user-page-identical':
      return [JSON.stringify({ query: USER_PAGE, variables: { id: inputs.authorId } })];
    case 'feed':
      return [JSON.stringify({ query: FEED })];
  }
}

const dataOf = (text: string) => (JSON.parse(text) as { data?: unknown }).data;

/**
 * One request, checked: a 200 with data and no errors. Tried up to 3 times: a process just
 * started (cold JIT, first database connections) on a busy machine may miss the operation's deadline.
 */
async function post(url: string, body: string, attempts = 3): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const answer = { status: response.status, text: await response.text() };
  if (answer.status === 200 && dataOf(answer.text) !== undefined && !answer.text.includes('"errors"')) return answer;
  if (attempts > 1) return post(url, body, attempts - 1);
  throw new Error(`${url} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
}

interface Round {
  latencies: number[];
  failures: number;
  elapsedMs: number;
  usage: Partial<Record<SampledProcess, ProcessUsage>>;
}

/**
 * One round of autocannon against a URL. `next` gives each request's body, so that a target
 * walking the varied users goes on where its last round stopped.
 */
function cannon(url: string, next: () => string, seconds: number, pids: Partial<Record<SampledProcess, number>>): Promise<Round> {
  const latencies: number[] = [];
  let failures = 0;
  const sampler = sampleProcesses(pids as Record<SampledProcess, number>);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: settings.connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: next() }),
            onResponse: (status, body) => {
              if (status !== 200 || body.includes('"errors"')) failures++;
            },
          },
        ],
      },
      (error) => {
        const elapsedMs = performance.now() - started;
        const usage = sampler.stop();
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve({ latencies, failures, elapsedMs, usage });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

/** Throughput counts the answers with data only: a timeout is no request served. */
const succeeded = (rounds: Round[]) => rounds.reduce((sum, round) => sum + round.latencies.length - round.failures, 0);

/** What a target's rounds add up to: throughput over all of them, latency over every response. */
function cellOf(target: TargetId, workload: WorkloadId, rounds: Round[]): CellResult {
  const latencies = rounds.flatMap((round) => round.latencies);
  const elapsedMs = rounds.reduce((sum, round) => sum + round.elapsedMs, 0);
  const names = Object.keys(rounds[0]!.usage) as SampledProcess[];
  const processes = Object.fromEntries(
    names.map((name) => [
      name,
      {
        cores: rounds.reduce((sum, round) => sum + round.usage[name]!.cores * round.elapsedMs, 0) / elapsedMs,
        peakRssBytes: Math.max(...rounds.map((round) => round.usage[name]!.peakRssBytes)),
      },
    ]),
  );
  return {
    target,
    workload,
    requests: latencies.length,
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
    elapsedMs,
    requestsPerSecond: succeeded(rounds) / (elapsedMs / 1000),
    roundRequestsPerSecond: rounds.map((round) => succeeded([round]) / (round.elapsedMs / 1000)),
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), mean: latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length },
    processes,
  };
}

process.env.LOG_LEVEL ??= 'warn';
const startedAt = performance.now();
// Taken before the processes start: the code they load is what is measured.
const commit = currentCommit();
const databases = await openBenchDatabases();
let stack: Awaited<ReturnType<typeof startStackProcesses>> | undefined;
try {
  const inputs = await pickInputs(databases.urls);
  console.log(`Inputs: ${inputs.userIds.length} users to vary over, the user page of user ${inputs.authorId}, product ${inputs.productId}.`);
  console.log('Starting the subgraphs, our gateway with caches off and on, and vanilla Apollo Gateway, each a process...');
  stack = await startStackProcesses(databases.urls, { gatewayCache: false });
  const running = stack;
  const servers: Record<Exclude<TargetId, 'bare-http' | 'subgraph'>, ServiceProcess> = {
    'caches-off': { origin: running.origins.gateway, pid: running.pids.gateway },
    'caches-on': await running.startGateway({ gatewayCache: true }),
    vanilla: await running.startScript('bench/vanilla-gateway.ts'),
  };
  const subgraphPids = { users: running.pids.users, posts: running.pids.posts, orders: running.pids.orders, client: process.pid };
  const loadAverageBefore = loadavg()[0]!;
  const cells: CellResult[] = [];

  for (const workload of workloads) {
    const bodies = bodiesOf(workload.id, inputs);
    // The same data from every gateway (compared on the first request); the bare server answers
    // with the bytes our gateway gave.
    const first = await post(`${servers['caches-off'].origin}/graphql`, bodies[0]!);
    for (const target of ['caches-on', 'vanilla'] as const) {
      const answer = await post(`${servers[target].origin}/graphql`, bodies[0]!);
      if (!isDeepStrictEqual(dataOf(answer.text), dataOf(first.text))) {
        throw new Error(`${workload.id}: ${TARGET_NAMES[target]} answered other data (${answer.status}): ${answer.text.slice(0, 300)}`);
      }
    }
    const bare = await running.startScript('bench/fixed-response-server.ts', { RESPONSE_BODY: first.text });
    const urls: Partial<Record<TargetId, { url: string; pid: number }>> = {
      'caches-off': { url: `${servers['caches-off'].origin}/graphql`, pid: servers['caches-off'].pid },
      'caches-on': { url: `${servers['caches-on'].origin}/graphql`, pid: servers['caches-on'].pid },
      vanilla: { url: `${servers.vanilla.origin}/graphql`, pid: servers.vanilla.pid },
      'bare-http': { url: `${bare.origin}/graphql`, pid: bare.pid },
    };
    if (workload.id === 'product') urls.subgraph = { url: `${running.origins.orders}/graphql`, pid: running.pids.orders };
    const targets = Object.keys(urls) as TargetId[];
    const cursors = new Map(targets.map((target) => [target, 0]));
    const nextBody = (target: TargetId) => () => {
      const index = cursors.get(target)!;
      cursors.set(target, index + 1);
      return bodies[index % bodies.length]!;
    };
    const rounds = new Map(targets.map((target) => [target, [] as Round[]]));
    for (const target of targets) {
      if (settings.warmupSeconds > 0) await cannon(urls[target]!.url, nextBody(target), settings.warmupSeconds, {});
    }
    for (let index = 0; index < settings.rounds; index++) {
      // Reversed every other round: drift in the machine's load weighs on every target alike.
      for (const target of index % 2 === 0 ? targets : [...targets].reverse()) {
        const { url, pid } = urls[target]!;
        const round = await cannon(url, nextBody(target), settings.roundSeconds, target === 'subgraph' ? subgraphPids : { server: pid, ...subgraphPids });
        rounds.get(target)!.push(round);
        const perSecond = succeeded([round]) / (round.elapsedMs / 1000);
        console.log(
          `${workload.id.padEnd(20)} round ${index + 1}/${settings.rounds} ${TARGET_NAMES[target].padEnd(30)} ${perSecond.toFixed(0).padStart(6)} req/s` +
            (round.failures ? `, ${round.failures} failed` : ''),
        );
      }
    }
    const workloadCells = targets.map((target) => cellOf(target, workload.id, rounds.get(target)!));
    cells.push(...workloadCells);
    console.log(`\n${workload.title}\n${table(WORKLOAD_HEADER, workloadRows({ cells: workloadCells }, workload.id))}\n`);
  }

  const results: GatewayBenchResults = {
    benchmark: 'gateway',
    date: new Date().toISOString(),
    durationSeconds: Math.round((performance.now() - startedAt) / 1000),
    commit,
    machine: machine(),
    loadAverage: { before: loadAverageBefore, after: loadavg()[0]! },
    versions: {
      '@apollo/gateway': await installedVersion('@apollo/gateway'),
      '@apollo/server': await installedVersion('@apollo/server'),
      graphql: await installedVersion('graphql'),
      autocannon: await installedVersion('autocannon'),
    },
    settings,
    seed: { users: inputs.userIds.length },
    workloads,
    cells,
    nPlusOne: await lastNPlusOneResult(),
  };
  console.log(
    table(
      ['target', 'measured', 'verdict'],
      evaluateTargets(results).map((verdict) => [verdict.target, verdict.measured, verdict.met === undefined ? '–' : verdict.met ? 'met' : 'MISSED']),
    ),
  );
  for (const file of await writeGatewayReport(results, { writeResults: true })) console.log(`Wrote ${file}`);
  console.log(`Done in ${((performance.now() - startedAt) / 60_000).toFixed(1)} min.`);
} finally {
  await stack?.stop();
  await databases.stop();
}
