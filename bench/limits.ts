// `npm run bench:limits`: what the gateway's protections (depth, aliases, cost, rate limiting)
// cost in throughput, on a typical query: two gateways in front of the same subgraphs, one with
// every protection on (a rate budget too large to refuse anything, so the bookkeeping runs but
// never throttles), one with none, measured in alternating rounds in one run.
import { writeFile } from 'node:fs/promises';
import { Agent, fetch } from 'undici';
import { DEFAULT_LIMITS } from '../gateway/src/limits/settings.ts';
import type { RunningService } from '#lib/service/http.ts';
import { databaseUrlEnv } from '../prisma/postgres.ts';
import { freePorts, startExtraGateway, startStack } from '../scripts/stack.ts';
import { openBenchDatabases } from './databases.ts';
import { machine, percentile, table } from './stats.ts';
import { optionsOrExit } from '#lib/service/startup-errors.ts';

const HELP = `Usage: npm run bench:limits [-- --seconds N --concurrency N --rounds N]

Throughput of the typical query below through a gateway with every protection on against one
with none, alternating rounds so both see the same machine state.

  --seconds N      length of each round (default 4)
  --concurrency N  requests in flight (default 8)
  --rounds N       rounds per gateway (default 3)
  -h, --help       show this text`;

const { values } = optionsOrExit(
  {
    options: {
      seconds: { type: 'string', default: '4' },
      concurrency: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '3' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  'npm run bench:limits',
  HELP,
);
const [seconds, concurrency, rounds] = [values.seconds, values.concurrency, values.rounds].map(Number) as [number, number, number];
if (![seconds, concurrency, rounds].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--seconds, --concurrency and --rounds take positive integers.');
  process.exit(2);
}

const QUERY = '{ posts(first: 10) { edges { node { title author { name } comments(first: 3) { totalCount } } } } }';
const body = JSON.stringify({ query: QUERY });

async function round(gateway: RunningService) {
  const pool = new Agent({ connections: concurrency });
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1_000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher: pool });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`status ${response.status}: ${text.slice(0, 200)}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pool.close();
  return { requests: latencies.length, perSecond: latencies.length / seconds, latencies };
}

process.env.LOG_LEVEL ??= 'warn';
const databases = await openBenchDatabases();
const database = { env: databaseUrlEnv(databases.urls) };
const stack = await startStack({ ports: freePorts(), database, seed: false, limits: false });
try {
  const gateways = {
    // Caches off on both: a cache hit would hide the query's real work, not the protections'.
    protected: await startExtraGateway(stack, {
      limits: { ...DEFAULT_LIMITS, rateLimit: { capacity: Number.MAX_SAFE_INTEGER, refillPerSecond: Number.MAX_SAFE_INTEGER } },
      cache: false,
    }),
    unprotected: await startExtraGateway(stack, { limits: false, cache: false }),
  };
  const results = { protected: [] as Awaited<ReturnType<typeof round>>[], unprotected: [] as Awaited<ReturnType<typeof round>>[] };
  for (const name of ['protected', 'unprotected'] as const) await round(gateways[name]); // warm-up
  for (let index = 0; index < rounds; index++) {
    for (const name of ['unprotected', 'protected'] as const) {
      results[name].push(await round(gateways[name]));
      console.log(`round ${index + 1}/${rounds} ${name}: ${results[name].at(-1)!.perSecond.toFixed(0)} req/s`);
    }
  }
  const summary = (name: keyof typeof results) => {
    const all = results[name].flatMap((result) => result.latencies);
    return { requestsPerSecond: all.length / (seconds * rounds), p50: percentile(all, 0.5), p99: percentile(all, 0.99) };
  };
  const on = summary('protected');
  const off = summary('unprotected');
  const change = (on.requestsPerSecond / off.requestsPerSecond - 1) * 100;
  console.log(
    `\n${table(
      ['gateway', 'req/s', 'p50', 'p99'],
      [
        ['no protections', off.requestsPerSecond.toFixed(0), `${off.p50.toFixed(1)} ms`, `${off.p99.toFixed(1)} ms`],
        ['all protections', on.requestsPerSecond.toFixed(0), `${on.p50.toFixed(1)} ms`, `${on.p99.toFixed(1)} ms`],
      ],
    )}\n\nThe protections change throughput by ${change.toFixed(1)}% (target: no more than 5% lower).`,
  );
  await writeFile(
    new URL('./results/limits.json', import.meta.url),
    `${JSON.stringify({ benchmark: 'limits', date: new Date().toISOString(), machine: machine(), query: QUERY, seconds, concurrency, rounds, protected: on, unprotected: off, throughputChangePercent: change }, null, 2)}\n`,
  );
  console.log('Wrote bench/results/limits.json');
  for (const gateway of Object.values(gateways)) await gateway.close();
} finally {
  await stack.stop();
  await databases.stop();
}
