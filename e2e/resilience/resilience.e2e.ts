// Failure and recovery: readiness follows a database going away and coming back; a subgraph
// killed during a stream of requests yields partial data naming it, never a crash, and the
// gateway recovers by itself when it returns; metrics and request ids are there to see it.
import { afterAll, describe, expect, it } from 'vitest';
import { startDelayProxy, throughProxy, type DelayProxy } from '../../test/delay-proxy.ts';
import type { RunningService } from '#lib/service/http.ts';
import { startSubgraph } from '#lib/subgraph/service.ts';
import { ordersSubgraph } from '../../subgraphs/orders/src/subgraph.ts';
import { postsSubgraph } from '../../subgraphs/posts/src/subgraph.ts';
import { withLocalKeys } from '../../test/auth.ts';
import { gatewayInFrontOf, useTestStack } from '../../test/gateway.ts';
import { postGraphQL, testDatabaseUrls } from '../../test/graphql.ts';

const stack = useTestStack();
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function ready(service: RunningService) {
  const response = await fetch(new URL('/ready', service.url));
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, { ok: boolean }> } };
}

describe('readiness', () => {
  it('reports every dependency and is ready when all answer', async () => {
    expect(await ready(stack.gateway)).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { users: { ok: true }, posts: { ok: true }, orders: { ok: true } } },
    });
    expect(await ready(stack.subgraphs.orders)).toMatchObject({ status: 200, body: { checks: { database: { ok: true } } } });
  });

  it("flips to 503 while a subgraph's database is away, and back when it returns", async () => {
    const database = new URL(testDatabaseUrls().orders);
    let proxy: DelayProxy = await startDelayProxy({ host: database.hostname, port: Number(database.port) }, 0);
    const port = proxy.port;
    const orders = await startSubgraph(withLocalKeys(ordersSubgraph(throughProxy(testDatabaseUrls().orders, proxy))), { port: 0 });
    cleanups.push(
      () => orders.close(),
      () => proxy.close(),
    );
    expect((await ready(orders)).status).toBe(200);

    await proxy.close();
    const away = await ready(orders);
    expect(away.status).toBe(503);
    expect(away.body).toMatchObject({ status: 'not ready', checks: { database: { ok: false } } });
    // Liveness is not readiness: the process itself is fine.
    expect((await fetch(new URL('/health', orders.url))).status).toBe(200);

    proxy = await startDelayProxy({ host: database.hostname, port: Number(database.port) }, 0, port);
    expect((await ready(orders)).status).toBe(200);
  });
});

describe('a subgraph that goes down', () => {
  it('gives partial data naming it during a stream of requests, then recovers by itself', async () => {
    const posts = await startSubgraph(withLocalKeys(postsSubgraph(testDatabaseUrls().posts)), { port: 0 });
    const gateway = await gatewayInFrontOf(stack, {
      subgraphUrls: { users: stack.subgraphs.users.url, posts: posts.url, orders: stack.subgraphs.orders.url },
      resilience: { timeoutMs: 1_000, retries: 1, retryBackoffMs: 10, breakerFailures: 3, breakerResetMs: 300, dedupe: true },
      // Uncached, so that every answer shows what the subgraph itself gives at that moment.
      cache: false,
    });
    cleanups.push(() => gateway.close());
    const query = '{ products(first: 1) { totalCount } post(id: "1") { title } }';
    expect((await postGraphQL(gateway.url, query)).body.data?.post).toEqual({ title: expect.any(String) });

    await posts.close();
    for (let i = 0; i < 10; i++) {
      const { status, body } = await postGraphQL(gateway.url, query);
      expect(status).toBe(200);
      expect(body.data).toEqual({ products: { totalCount: expect.any(Number) }, post: null });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'posts' });
    }
    // Partial data beats none: still ready, degraded, naming the subgraph that is down.
    const degraded = await ready(gateway);
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', checks: { posts: { ok: false }, users: { ok: true } } });

    const port = Number(new URL(posts.url).port);
    const restarted = await startSubgraph(withLocalKeys(postsSubgraph(testDatabaseUrls().posts)), { port });
    cleanups.push(() => restarted.close());
    let recovered = false;
    for (let i = 0; i < 30 && !recovered; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      recovered = (await postGraphQL(gateway.url, query)).body.data?.post != null;
    }
    expect(recovered).toBe(true);
    expect((await ready(gateway)).status).toBe(200);
  });
});

describe('observability', () => {
  it('serves Prometheus metrics on every service', async () => {
    await postGraphQL(stack.gateway.url, 'query Catalogue { products(first: 2) { totalCount edges { node { name } } } }');
    const gatewayMetrics = await (await fetch(new URL('/metrics', stack.gateway.url))).text();
    expect(gatewayMetrics).toMatch(/graphql_operations_total\{service="gateway",operation="Catalogue",outcome="success"\} [1-9]/);
    expect(gatewayMetrics).toMatch(/subgraph_fetch_duration_seconds_count\{subgraph="orders",outcome="ok"\} [1-9]/);
    expect(gatewayMetrics).toMatch(/graphql_query_cost_count [1-9]/);
    expect(gatewayMetrics).toContain('http_request_duration_seconds_bucket');
    const ordersMetrics = await (await fetch(new URL('/metrics', stack.subgraphs.orders.url))).text();
    const ordersDatabase = new URL(testDatabaseUrls().orders).pathname.slice(1);
    expect(ordersMetrics).toMatch(new RegExp(`sql_statements_total\\{database="${ordersDatabase}"\\} [1-9]`));
    expect(ordersMetrics).toMatch(/dataloader_batch_size_count\{kind="[a-z-]+"\}/);
  });

  it('echoes the request id, generated when the client sends none', async () => {
    const given = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc-123' },
      body: JSON.stringify({ query: '{ products(first: 1) { totalCount } }' }),
    });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const generated = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'not ok!' },
      body: JSON.stringify({ query: '{ products(first: 1) { totalCount } }' }),
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
