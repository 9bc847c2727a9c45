// `npm run bench:cache`: one query through the gateway with its caches off, answered from the
// response cache, and with half of its entities in the entity cache, beside a bare `node:http`
// server that returns the same JSON bytes: throughput and p50/p99 of each, in interleaved rounds
// of one run. The load comes from a worker thread, so the client does not share the servers'
// event loop. Writes bench/results/cache.json.
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import express from 'express';
import { Pool } from 'undici';
import { cacheStats, DEFAULT_CACHE, type CacheSettings } from '../gateway/src/cache/index.ts';
import { publishCacheInvalidation } from '#lib/service/cache-invalidation.ts';
import { environment } from '#lib/service/env.ts';
import { DEFAULT_LIMITS } from '../gateway/src/limits/settings.ts';
import type { RunningService } from '#lib/service/http.ts';
import { databaseUrlEnv } from '../prisma/postgres.ts';
import { SCALES } from '../prisma/seed.ts';
import { freePorts, startExtraGateway, startStack, type Stack } from '../scripts/stack.ts';
import { openBenchDatabases } from './databases.ts';
import { machine, percentile, table } from './stats.ts';
import { optionsOrExit } from '#lib/service/startup-errors.ts';

/** What the load worker is asked: POST these bodies in turn, `concurrency` at a time. */
interface LoadOrder {
  url: string;
  bodies: string[];
  /** Start again from the first body when all were sent; else stop there. */
  cycle: boolean;
  concurrency: number;
  durationMs: number;
}

interface LoadOutcome {
  latencies: number[];
  elapsedMs: number;
}

/** The worker's side: a closed loop on keep-alive connections, with undici's lean request API. */
async function generateLoad(order: LoadOrder): Promise<LoadOutcome> {
  const url = new URL(order.url);
  const pool = new Pool(url.origin, { connections: order.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + order.durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      if (next >= order.bodies.length) {
        if (!order.cycle) return;
        next = 0;
      }
      const body = order.bodies[next++]!;
      const sent = performance.now();
      const response = await pool.request({ path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.body.text();
      if (response.statusCode !== 200 || text.includes('"errors"')) throw new Error(`status ${response.statusCode}: ${text.slice(0, 300)}`);
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: order.concurrency }, client));
  const elapsedMs = performance.now() - started;
  await pool.close();
  return { latencies, elapsedMs };
}

if (!isMainThread) {
  generateLoad(workerData as LoadOrder).then(
    (outcome) => parentPort!.postMessage(outcome),
    (error: unknown) => parentPort!.postMessage({ error: String(error) }),
  );
} else {
  await main();
}

function loadFromWorker(order: LoadOrder): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    // The worker loads this file again, TypeScript and all: it registers tsx's loader first (a
    // worker does not inherit the `--import tsx` of the main thread on Node 20).
    const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(bootstrap, { eval: true, workerData: order });
    worker.once('message', (message: LoadOutcome | { error: string }) => {
      void worker.terminate();
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

async function main() {
  const HELP = `Usage: npm run bench:cache [-- --seconds N --concurrency N --rounds N]

On the benchmark-scale seed (${SCALES.bench.users.toLocaleString('en')} users), the query below, a page of 10 users with their 3 latest posts:
its root fetch goes to the users subgraph, the posts come from the posts subgraph through
\`_entities\`. Measured, in interleaved rounds:

  caches off          a sliding page (a new page per request), nothing cached
  entity cache, half  the same sliding pages, each sharing 5 of its 10 users with one sent
                      earlier: half the entities from the entity cache (response cache off; the
                      cache emptied before each round, and no page twice in a round)
  entity cache, all   one page again and again, response cache off: the users fetch runs, the
                      posts fetch is answered from the entity cache
  response cache hit  one page, answered from the response cache (in memory; in Redis too when
                      REDIS_URL is set)
  bare node:http      a server that returns the response-cache hit's exact bytes
  Express             for reference: Express with its JSON body parser, returning the same bytes

  --seconds N      length of each round (default 4)
  --concurrency N  requests in flight (default 8)
  --rounds N       rounds per scenario (default 5); req/s is the median round's
  -h, --help       show this text`;

  const { values } = optionsOrExit(
    {
      options: {
        seconds: { type: 'string', default: '4' },
        concurrency: { type: 'string', default: '8' },
        rounds: { type: 'string', default: '5' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    'npm run bench:cache',
    HELP,
  );
  const [seconds, concurrency, rounds] = [values.seconds, values.concurrency, values.rounds].map(Number) as [number, number, number];
  if (![seconds, concurrency, rounds].every((n) => Number.isInteger(n) && n > 0)) {
    console.error('--seconds, --concurrency and --rounds take positive integers.');
    process.exit(2);
  }

  const QUERY = `query Authors($after: String) { users(first: 10, after: $after) { edges { node { name posts(first: 3) { edges { node { title } } } } } } }`;
  const bodyFor = (after: string | null) => JSON.stringify({ query: QUERY, variables: { after } });
  const limits = { ...DEFAULT_LIMITS, rateLimit: false as const };

  process.env.LOG_LEVEL ??= 'warn';
  const databases = await openBenchDatabases();
  const database = { env: databaseUrlEnv(databases.urls) };
  let stack: Stack | undefined;
  const servers: http.Server[] = [];
  const gateways: RunningService[] = [];
  const gatewayWith = async (cache: CacheSettings | false) => {
    const gateway = await startExtraGateway(stack!, { limits, cache, ...(cache && cache.store === 'redis' ? { redisUrl: environment().REDIS_URL } : {}) });
    gateways.push(gateway);
    return gateway;
  };
  try {
    stack = await startStack({ ports: freePorts(), database, seed: false, limits });
    const off = await gatewayWith(false);

    // Pages of 10 users that each share 5 with the one before: after the cursor of every 5th user.
    const cursors: string[] = [];
    for (let after: string | null = null; ;) {
      const response = await fetch(off.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query($after: String) { users(first: 100, after: $after) { edges { cursor } pageInfo { hasNextPage endCursor } } }',
          variables: { after },
        }),
      });
      const { data } = (await response.json()) as { data: { users: { edges: { cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
      cursors.push(...data.users.edges.map((edge) => edge.cursor));
      if (!data.users.pageInfo.hasNextPage) break;
      after = data.users.pageInfo.endCursor;
    }
    const slidingPages = [bodyFor(null), ...cursors.filter((_, index) => index % 5 === 4 && index + 10 < cursors.length).map(bodyFor)];
    // Sent in an order where each page follows the one it overlaps by 4 × concurrency requests, so
    // that its first half is in the cache by then (with `concurrency` requests in flight, the
    // very next page would be fetched while its neighbour still is): rows of pages i, i + n, i + 2n…
    const rows = Math.max(1, Math.floor(slidingPages.length / (4 * concurrency)));
    const interleavedPages = Array.from({ length: rows }, (_, row) => slidingPages.filter((_, index) => index % rows === row)).flat();
    const onePage = bodyFor(null);

    const responseGateway = await gatewayWith({ ...DEFAULT_CACHE, store: 'memory' });
    const redisGateway = environment().REDIS_URL ? await gatewayWith({ ...DEFAULT_CACHE, store: 'redis', redisKeyPrefix: `bench:${process.pid}:` }) : undefined;
    const expected = await (await fetch(responseGateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: onePage })).text();
    const fixedBody = Buffer.from(expected);
    const listen = async (server: http.Server) => {
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    };
    const bareUrl = await listen(
      http.createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': fixedBody.length });
          response.end(fixedBody);
        });
      }),
    );
    const app = express();
    app.post('/graphql', express.json(), (_request, response) => {
      response.type('application/json').send(fixedBody);
    });
    const expressUrl = await listen(http.createServer(app));

    // The entity scenarios share one gateway (planned and warm); its cache is emptied before each
    // round the way a mutation would, by invalidating every user.
    const entityGateway = await gatewayWith({ ...DEFAULT_CACHE, store: 'memory', responses: false });
    const userIds: number[] = [];
    for (let id = 1; id <= SCALES.bench.users; id++) userIds.push(id);
    const emptyEntityCache = () => publishCacheInvalidation(...userIds.map((id) => ({ type: 'User', id })));
    const entityRound = async (bodies: string[], cycle: boolean, durationMs: number) => {
      const before = cacheStats().entity;
      const outcome = await loadFromWorker({ url: entityGateway.url, bodies, cycle, concurrency, durationMs });
      const after = cacheStats().entity;
      const hits = after.hits - before.hits;
      return { ...outcome, entityHitRatio: hits / (hits + after.misses - before.misses) };
    };

    interface Scenario {
      name: string;
      /** Runs one round: the load, and what to report beside it. */
      round(durationMs: number): Promise<LoadOutcome & { entityHitRatio?: number }>;
    }
    const scenarios: Scenario[] = [
      { name: 'bare node:http', round: (durationMs) => loadFromWorker({ url: bareUrl, bodies: [onePage], cycle: true, concurrency, durationMs }) },
      { name: 'Express, fixed body', round: (durationMs) => loadFromWorker({ url: expressUrl, bodies: [onePage], cycle: true, concurrency, durationMs }) },
      {
        name: 'response cache hit (memory)',
        round: (durationMs) => loadFromWorker({ url: responseGateway.url, bodies: [onePage], cycle: true, concurrency, durationMs }),
      },
      ...(redisGateway
        ? [
            {
              name: 'response cache hit (Redis)',
              round: (durationMs: number) => loadFromWorker({ url: redisGateway.url, bodies: [onePage], cycle: true, concurrency, durationMs }),
            },
          ]
        : []),
      {
        name: 'entity cache, half the entities',
        round: async (durationMs) => {
          await emptyEntityCache();
          return entityRound(interleavedPages, false, durationMs);
        },
      },
      { name: 'entity cache, all entities', round: (durationMs) => entityRound([onePage], true, durationMs) },
      { name: 'caches off', round: (durationMs) => loadFromWorker({ url: off.url, bodies: slidingPages, cycle: true, concurrency, durationMs }) },
    ];

    const results = new Map(scenarios.map((scenario) => [scenario.name, [] as Awaited<ReturnType<Scenario['round']>>[]]));
    for (const scenario of scenarios) await scenario.round(1_000); // warm-up: connections, JIT, caches
    for (let index = 0; index < rounds; index++) {
      for (const scenario of scenarios) {
        const outcome = await scenario.round(seconds * 1_000);
        results.get(scenario.name)!.push(outcome);
        const perSecond = (outcome.latencies.length / outcome.elapsedMs) * 1_000;
        console.log(`round ${index + 1}/${rounds} ${scenario.name}: ${perSecond.toFixed(0)} req/s`);
      }
    }

    const summary = (name: string) => {
      const outcomes = results.get(name)!;
      const latencies = outcomes.flatMap((outcome) => outcome.latencies);
      const elapsedMs = outcomes.reduce((total, outcome) => total + outcome.elapsedMs, 0);
      const ratios = outcomes.flatMap((outcome) => (outcome.entityHitRatio === undefined ? [] : [outcome.entityHitRatio]));
      // The median round: other work on a shared machine comes in bursts that a mean would keep.
      const perRound = outcomes.map((outcome) => (outcome.latencies.length / outcome.elapsedMs) * 1_000);
      return {
        requests: latencies.length,
        requestsPerSecond: percentile(perRound, 0.5),
        requestsPerSecondOverall: (latencies.length / elapsedMs) * 1_000,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        ...(ratios.length ? { entityHitRatio: ratios.reduce((a, b) => a + b, 0) / ratios.length } : {}),
      };
    };
    const summaries = Object.fromEntries(scenarios.map(({ name }) => [name, summary(name)]));
    const bareRate = summaries['bare node:http']!.requestsPerSecond;
    console.log(
      `\n${table(
        ['scenario', 'req/s', 'of bare', 'p50', 'p99'],
        scenarios.map(({ name }) => {
          const s = summaries[name]!;
          const label = s.entityHitRatio === undefined ? name : `${name} (${(s.entityHitRatio * 100).toFixed(0)}% hits)`;
          return [
            label,
            s.requestsPerSecond.toFixed(0),
            `${((s.requestsPerSecond / bareRate) * 100).toFixed(0)}%`,
            `${s.p50.toFixed(2)} ms`,
            `${s.p99.toFixed(2)} ms`,
          ];
        }),
      )}`,
    );
    const hitShare = summaries['response cache hit (memory)']!.requestsPerSecond / bareRate;
    console.log(
      `\nA response-cache hit runs at ${(hitShare * 100).toFixed(0)}% of the bare server's throughput (target: at least 50%): ${hitShare >= 0.5 ? 'met' : 'NOT met'}.`,
    );
    await writeFile(
      new URL('./results/cache.json', import.meta.url),
      `${JSON.stringify({ benchmark: 'cache', date: new Date().toISOString(), machine: machine(), query: QUERY, seconds, concurrency, rounds, responseBytes: fixedBody.length, results: summaries, responseHitShareOfBare: hitShare }, null, 2)}\n`,
    );
    console.log('Wrote bench/results/cache.json');
  } finally {
    for (const gateway of gateways) await gateway.close();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await stack?.stop();
    await databases.stop();
  }
}
