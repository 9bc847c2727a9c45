// `npm run bench:n+1`: the naive build against DataLoader batching, side by side in one run, on
// the benchmark-scale seed. Prints SQL statements and latency p50/p95 per query shape with the
// ratios, and writes bench/results/n-plus-one.json.
import { writeFile } from 'node:fs/promises';
import { databaseUrlEnv } from '../prisma/postgres.ts';
import { SCALES } from '../prisma/seed.ts';
import { DEFAULT_LIMITS } from '../gateway/src/limits/settings.ts';
import { freePorts, startStack, type Stack } from '../scripts/stack.ts';
import { SUBGRAPHS } from '../subgraphs/manifest.ts';
import { openBenchDatabases } from './databases.ts';
import { startDelayProxy, throughProxy } from '../test/delay-proxy.ts';
import { formatMs, machine, percentile, table } from './stats.ts';
import { optionsOrExit } from '#lib/service/startup-errors.ts';

const HELP = `Usage: npm run bench:n+1 [-- --iterations N] [--db-rtt LIST]

Seeds the benchmark scale (${SCALES.bench.users.toLocaleString('en')} users, ${SCALES.bench.posts.toLocaleString('en')} posts, ${SCALES.bench.comments.toLocaleString('en')} comments, ...) into
databases of its own (prefix bench_, on DATABASE_URL or an embedded PostgreSQL under
.data/postgres-bench), starts the stack twice — naive resolvers and batched — and runs each query
shape against both, alternating, so both see the same machine state.

  --iterations N  timed runs per shape and build (default 20; the naive build runs a third of them)
  --db-rtt LIST   round-trip times in ms between the subgraphs and PostgreSQL, through a delay
                  proxy (default 0,1: loopback, and a database one network hop away)
  -h, --help      show this text`;

const { values } = optionsOrExit(
  {
    options: {
      iterations: { type: 'string', default: '20' },
      'db-rtt': { type: 'string', default: '0,1' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  'npm run bench:n+1',
  HELP,
);
const iterations = Number(values.iterations);
if (!Number.isInteger(iterations) || iterations < 3) {
  console.error('--iterations must be an integer of at least 3.');
  process.exit(2);
}
const roundTrips = values['db-rtt'].split(',').map(Number);
if (roundTrips.some((rtt) => !Number.isFinite(rtt) || rtt < 0 || rtt > 100)) {
  console.error('--db-rtt must be a comma-separated list of milliseconds between 0 and 100, e.g. 0,1.');
  process.exit(2);
}

const SHAPES = [
  {
    name: 'users(100) { posts(10) }',
    query: `{ users(first: 100) { edges { node { name posts(first: 10) { edges { node { title } } } } } } }`,
  },
  {
    name: 'users(100) { posts(5) { comments(3) { author } } }',
    query: `{ users(first: 100) { edges { node { name posts(first: 5) { edges { node { title
      comments(first: 3) { edges { node { text author { name } } } } } } } } } } }`,
  },
];

type Build = 'naive' | 'batched';

async function timedQuery(stack: Stack, query: string) {
  const started = performance.now();
  const response = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-debug-sql': '1' },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const body = JSON.parse(text) as { errors?: unknown[]; extensions?: { sqlStatements?: Record<string, number> } };
  if (!response.ok || body.errors) throw new Error(`query failed: ${text.slice(0, 500)}`);
  return { ms, statements: body.extensions?.sqlStatements ?? {} };
}

const sum = (statements: Record<string, number>) => Object.values(statements).reduce((total, n) => total + n, 0);

async function compare(shape: (typeof SHAPES)[number], dbRoundTripMs: number, stacks: Record<Build, Stack>) {
  const latencies: Record<Build, number[]> = { naive: [], batched: [] };
  const statements: Record<Build, Record<string, number>> = { naive: {}, batched: {} };
  // Warm-up: JIT, connection pools, PostgreSQL's caches.
  for (const build of ['naive', 'batched'] as const) await timedQuery(stacks[build], shape.query);
  const naiveRuns = Math.max(3, Math.ceil(iterations / 3));
  const label = `${shape.name} at ${dbRoundTripMs} ms database RTT`;
  for (let i = 0; i < iterations; i++) {
    for (const build of ['batched', 'naive'] as const) {
      if (build === 'naive' && i >= naiveRuns) continue;
      const run = await timedQuery(stacks[build], shape.query);
      latencies[build].push(run.ms);
      statements[build] = run.statements;
    }
    process.stdout.write(`\r${label}: ${i + 1}/${iterations}`);
  }
  process.stdout.write('\n');
  const summary = (build: Build) => ({
    statements: statements[build],
    totalStatements: sum(statements[build]),
    p50: percentile(latencies[build], 0.5),
    p95: percentile(latencies[build], 0.95),
    runs: latencies[build].length,
  });
  const naive = summary('naive');
  const batched = summary('batched');
  return {
    shape: shape.name,
    dbRoundTripMs,
    query: shape.query.replace(/\s+/g, ' '),
    naive,
    batched,
    statementRatio: naive.totalStatements / batched.totalStatements,
    p50Ratio: naive.p50 / batched.p50,
  };
}

process.env.LOG_LEVEL ??= 'warn';
const databases = await openBenchDatabases();
try {
  const results = [];
  for (const dbRoundTripMs of roundTrips) {
    // At 0 ms the subgraphs connect directly: the proxy's own hop would not be loopback.
    const proxies = await Promise.all(
      (dbRoundTripMs === 0 ? [] : SUBGRAPHS).map(({ name }) => {
        const url = new URL(databases.urls[name]);
        return startDelayProxy({ host: url.hostname, port: Number(url.port || 5432) }, dbRoundTripMs);
      }),
    );
    const urls = databaseUrlEnv(
      Object.fromEntries(
        SUBGRAPHS.map(({ name }, index) => {
          const proxy = proxies[index];
          return [name, proxy ? throughProxy(databases.urls[name], proxy) : databases.urls[name]];
        }),
      ),
    );
    const ports = freePorts();
    // No rate limit: the benchmark is one client sending hundreds of large queries on purpose.
    const limits = { ...DEFAULT_LIMITS, rateLimit: false as const };
    const stacks = {
      naive: await startStack({ ports, database: { env: urls }, seed: false, batchLoads: false, limits }),
      batched: await startStack({ ports, database: { env: urls }, seed: false, batchLoads: true, limits }),
    };
    try {
      for (const shape of SHAPES) results.push(await compare(shape, dbRoundTripMs, stacks));
    } finally {
      await stacks.naive.stop();
      await stacks.batched.stop();
      for (const proxy of proxies) await proxy.close();
    }
  }

  console.log(
    `\n${table(
      ['query shape', 'DB RTT', 'build', 'SQL statements', 'p50', 'p95', 'runs'],
      results.flatMap((result) =>
        (['naive', 'batched'] as const).map((build) => [
          result.shape,
          `${result.dbRoundTripMs} ms`,
          build,
          `${result[build].totalStatements} (${Object.entries(result[build].statements)
            .map(([name, n]) => `${name} ${n}`)
            .join(', ')})`,
          formatMs(result[build].p50),
          formatMs(result[build].p95),
          String(result[build].runs),
        ]),
      ),
    )}\n`,
  );
  for (const result of results) {
    console.log(
      `${result.shape} at ${result.dbRoundTripMs} ms DB RTT: ${result.statementRatio.toFixed(0)}× fewer statements, ` +
        `${result.p50Ratio.toFixed(1)}× lower p50 with batching`,
    );
  }
  await writeFile(
    new URL('./results/n-plus-one.json', import.meta.url),
    `${JSON.stringify({ benchmark: 'n-plus-one', date: new Date().toISOString(), machine: machine(), scale: SCALES.bench, results }, null, 2)}\n`,
  );
  console.log('\nWrote bench/results/n-plus-one.json');
} finally {
  await databases.stop();
}
