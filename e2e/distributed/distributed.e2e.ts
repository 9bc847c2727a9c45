// The stack as production runs it: each subgraph and two gateway replicas in processes of their
// own (scripts/stack-processes.ts, what npm run start:distributed starts), sharing the machine's
// Redis, over real HTTP, behind the load balancer of start:distributed. The replicas share a
// client's rate budget, what a mutation invalidates, and persisted queries; a subgraph killed under
// load costs only its own fields and comes back without a gateway restart; a replica stopped under
// load loses no request it accepted. Needs Redis at REDIS_URL (CI has one); skipped without it.
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoadBalancer, type RunningLoadBalancer } from '../../scripts/load-balancer.ts';
import { startStackProcesses, type StackProcesses } from '../../scripts/stack-processes.ts';
import { bearer, BOB, tokenFor } from '../../test/auth.ts';
import { postGraphQL, testDatabaseUrls, type GraphQLResponse } from '../../test/graphql.ts';

const REDIS_URL = process.env.REDIS_URL;

async function redisAnswers(url: string | undefined): Promise<boolean> {
  if (!url) return false;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const withRedis = await redisAnswers(REDIS_URL);
if (!withRedis) console.warn(`e2e/distributed skipped: no Redis answers at REDIS_URL (${REDIS_URL ?? 'unset'}); the replicas share their state there.`);

// This run's own keys in the shared Redis: its rate budgets, caches and persisted queries.
const PREFIX = `test:distributed:${randomUUID()}:`;
/** Each replica's request log lines: one per request it read, with the request's id and when it ended. */
const requestLogs = new Map<string, { id: string; time: number; status?: number }[]>();
let stack: StackProcesses;
let balancer: RunningLoadBalancer;
const replica = (index: 0 | 1) => stack.gateways[index]!;

describe.skipIf(!withRedis)('two gateway replicas, each subgraph in its own process, sharing Redis', () => {
  beforeAll(async () => {
    stack = await startStackProcesses({
      databaseUrls: testDatabaseUrls(),
      gatewayReplicas: 2,
      env: {
        REDIS_URL,
        CACHE_REDIS_PREFIX: `${PREFIX}cache:`,
        RATE_LIMIT_KEY_PREFIX: `${PREFIX}ratelimit:`,
        // A budget one client spends in a few requests, refilled slowly enough to stay spent.
        RATE_LIMIT_CAPACITY: '20000',
        RATE_LIMIT_REFILL_PER_SECOND: '50',
        // A machine busy with other tests: Redis slower than the default 100 ms would bypass the
        // caches for a while, and a HIT expected below would be a MISS.
        CACHE_REDIS_TIMEOUT_MS: '1000',
        // A subgraph back from the dead is tried after a second, not ten.
        SUBGRAPH_BREAKER_RESET_MS: '1000',
      },
      // Each request the gateways read, logged with its id.
      gatewayEnv: () => ({ LOG_LEVEL: 'info' }),
      onOutput: (service, line) => {
        if (!service.startsWith('gateway') || !line.startsWith('{')) return;
        const entry = JSON.parse(line) as { time: number; req?: { id?: string }; res?: { statusCode?: number } };
        if (!entry.req?.id) return;
        const lines = requestLogs.get(service) ?? [];
        lines.push({ id: entry.req.id, time: entry.time, status: entry.res?.statusCode });
        requestLogs.set(service, lines);
      },
    });
    balancer = await startLoadBalancer({ upstreams: stack.gateways.map((gateway) => gateway.origin), port: 0 });
  }, 180_000);

  afterAll(async () => {
    await balancer?.close();
    await stack?.stop();
    const redis = new Redis(REDIS_URL!);
    try {
      const keys = await redis.keys(`${PREFIX}*`);
      if (keys.length) await redis.unlink(...keys);
    } finally {
      redis.disconnect();
    }
  }, 30_000);

  it("shares a client's rate budget: spent through one replica, refused by the other", async () => {
    // A user of its own: the budget is per signed-in user, and no other test spends this one's.
    const client = { authorization: `Bearer ${await tokenFor({ id: 9, role: 'USER' })}` };
    // 1,010 of the budget's 20,000 a request; cached after the first, and charged every time.
    const query = `{ ${Array.from({ length: 10 }, (_, index) => `u${index}: users(first: 100) { edges { node { posts(first: 100) { totalCount } } } }`).join(' ')} }`;
    let answer = await postGraphQL(replica(0).url, query, undefined, client);
    const cost = (answer.body.extensions?.cost as { value: number }).value;
    expect(answer.status).toBe(200);
    for (let sent = 1; answer.status === 200 && sent < 40; sent++) answer = await postGraphQL(replica(0).url, query, undefined, client);
    expect(answer.status).toBe(429);

    const other = await postGraphQL(replica(1).url, query, undefined, client);
    expect(other.status).toBe(429);
    expect(other.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', cost });
    // Another client's budget is its own.
    expect((await postGraphQL(replica(1).url, '{ me { id } }', undefined, await bearer(BOB))).status).toBe(200);
  });

  it('drops what one replica cached when a mutation goes through the other', async () => {
    const bob = await bearer(BOB);
    const created = await postGraphQL<{ createPost: { id: string } }>(
      replica(0).url,
      'mutation { createPost(input: { title: "Before", body: "Text" }) { id } }',
      undefined,
      bob,
    );
    const id = created.body.data!.createPost.id;
    const read = async () => {
      const response = await fetch(replica(1).url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query($id: ID!) { post(id: $id) { title } }', variables: { id } }),
      });
      return { cache: response.headers.get('x-cache'), title: ((await response.json()) as { data: { post: { title: string } } }).data.post.title };
    };
    expect(await read()).toEqual({ cache: 'MISS', title: 'Before' });
    expect(await read()).toEqual({ cache: 'HIT', title: 'Before' });

    const updated = await postGraphQL(replica(0).url, 'mutation($id: ID!) { updatePost(id: $id, input: { title: "After" }) { id } }', { id }, bob);
    expect(updated.body.errors).toBeUndefined();
    expect(await read()).toEqual({ cache: 'MISS', title: 'After' });
  });

  it('knows a persisted query registered through the other replica', async () => {
    const query = `{ product(id: "3") { name } } # ${randomUUID()}`;
    const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
    const hash = createHash('sha256').update(query).digest('hex');
    const send = (url: string, body: object) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        async (response) => (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
      );

    expect((await send(replica(1).url, { extensions: persisted(hash) })).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send(replica(0).url, { query, extensions: persisted(hash) })).data).toEqual({ product: { name: expect.any(String) } });
    const known = await send(replica(1).url, { extensions: persisted(hash) });
    expect(known.errors).toBeUndefined();
    expect(known.data).toEqual({ product: { name: expect.any(String) } });
  });

  it('gives partial data while a subgraph process is dead, and full data once it is back, with no gateway restart', async () => {
    // A comment makes every document new: no answer comes from the response cache.
    let sent = 0;
    const query = () => `{ products(first: 1) { totalCount } post(id: "1") { title } } # ${++sent}`;
    const outcomes: { replica: number; outcome: string; at: number }[] = [];
    let stopAt = Infinity;
    const client = async (index: 0 | 1) => {
      while (Date.now() < stopAt) {
        const { status, body } = await postGraphQL(replica(index).url, query()).catch((error: unknown): GraphQLResponse => ({
          status: 0,
          contentType: null,
          body: { errors: [{ message: String((error as Error).cause ?? error) }] },
        }));
        const full = status === 200 && !body.errors && typeof body.data?.post?.title === 'string';
        const partial =
          status === 200 &&
          typeof body.data?.products?.totalCount === 'number' &&
          body.data.post === null &&
          body.errors?.length === 1 &&
          body.errors[0]!.extensions?.code === 'SUBGRAPH_UNAVAILABLE' &&
          body.errors[0]!.extensions.serviceName === 'posts';
        outcomes.push({ replica: index, outcome: full ? 'full' : partial ? 'partial' : `${status} ${JSON.stringify(body)}`, at: Date.now() });
      }
    };
    const clients = [client(0), client(1), client(0), client(1)];
    const posts = stack.subgraphs.posts;
    let killedAt = Infinity;
    let backAt = Infinity;
    const fullAgain = (index: number) => outcomes.some((entry) => entry.replica === index && entry.at > backAt + 50 && entry.outcome === 'full');
    const fullBefore = (index: number) => outcomes.some((entry) => entry.replica === index && entry.at < killedAt && entry.outcome === 'full');
    try {
      // Until both replicas have answered in full (a first plan takes a while on a busy machine).
      for (let waited = 0; waited < 15_000 && !(fullBefore(0) && fullBefore(1)); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      killedAt = Date.now();
      expect(await posts.stop('SIGKILL')).toBe('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await posts.restart();
      backAt = Date.now();
      // Back within the breaker's reset (1 s here) and a retry: a few seconds at most.
      for (let waited = 0; waited < 10_000 && !(fullAgain(0) && fullAgain(1)); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      stopAt = Date.now();
      await Promise.all(clients);
    }

    expect(outcomes.filter((entry) => entry.outcome !== 'full' && entry.outcome !== 'partial').map((entry) => entry.outcome)).toEqual([]);
    for (const index of [0, 1]) {
      expect(fullBefore(index)).toBe(true);
      expect(outcomes.some((entry) => entry.replica === index && entry.at > killedAt && entry.outcome === 'partial')).toBe(true);
      expect(fullAgain(index)).toBe(true);
    }
    expect(stack.gateways.map((gateway) => gateway.running)).toEqual([true, true]);
  }, 120_000);

  it('goes on serving when a replica stops under load, losing no request that replica accepted', async () => {
    // "Accepted" is read by the replica's HTTP server: every such request appears in its request
    // log. A stopping replica drains (answers each one in full) and refuses new connections; the
    // load balancer sends a request whose connection failed before any answer to the other
    // replica. So every request is answered 200 exactly once, by one replica: none is lost, none
    // cut off, none run twice.
    const url = `${balancer.origin}/graphql`;
    const sentIds: string[] = [];
    const failures: string[] = [];
    let stopAt = Infinity;
    // Each client signed in as a user of its own, with a budget of its own.
    const client = async (_: unknown, index: number) => {
      const user = { authorization: `Bearer ${await tokenFor({ id: 20 + index, role: 'USER' })}` };
      while (Date.now() < stopAt) {
        const id = `distributed-${randomUUID()}`;
        sentIds.push(id);
        try {
          // A new document each time: no cache hit, a plan and two subgraphs each, so that requests are in flight at the signal.
          const query = `{ users(first: 20) { edges { node { name posts(first: 3) { totalCount } } } } } # ${id}`;
          const { status, body } = await postGraphQL(url, query, undefined, {
            ...user,
            'x-request-id': id,
          });
          if (status !== 200 || body.errors) failures.push(`${id}: ${status} ${JSON.stringify(body)}`);
        } catch (error) {
          failures.push(`${id}: ${String((error as Error).cause ?? error)}`);
        }
      }
    };
    const readBy = (service: string) => requestLogs.get(service)?.filter((line) => sentIds.includes(line.id)) ?? [];
    const clients = Array.from({ length: 6 }, client);
    let stoppedAt = Infinity;
    let exit: Promise<unknown> | undefined;
    try {
      // Until both replicas serve this load (the balancer asks their /ready every second).
      for (let waited = 0; waited < 15_000 && !(readBy(replica(0).name).length && readBy(replica(1).name).length); waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      stoppedAt = Date.now();
      exit = replica(0).stop('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      stopAt = Date.now();
      await Promise.all(clients);
    }

    expect(await exit).toBe(0);
    expect(failures).toEqual([]);
    // A request's log line is written once its answer has gone: the last ones may still be on their way.
    const logged = () => new Set([...readBy(replica(0).name), ...readBy(replica(1).name)].map((line) => line.id)).size;
    for (let waited = 0; waited < 5_000 && logged() < sentIds.length; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    const [stopped, serving] = [readBy(replica(0).name), readBy(replica(1).name)];
    // Each request read once, by one replica, and answered 200 there.
    expect(stopped.filter((line) => serving.some((other) => other.id === line.id))).toEqual([]);
    expect([...stopped, ...serving].filter((line) => line.status !== 200)).toEqual([]);
    expect(new Set([...stopped, ...serving].map((line) => line.id))).toEqual(new Set(sentIds));
    // It was serving at the signal, answered in flight what it had read, then took nothing more.
    expect(stopped.some((line) => line.time < stoppedAt)).toBe(true);
    expect(stopped.some((line) => line.time >= stoppedAt)).toBe(true);
    expect(serving.some((line) => line.time > stoppedAt + 500)).toBe(true);
    expect(balancer.ready()).not.toContain(replica(0).origin);
  }, 60_000);
});
