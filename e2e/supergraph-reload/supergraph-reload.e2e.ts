// A supergraph changed under load: a gateway watching its file swaps to the new one with every
// request answered, requests in flight across the swap included; a supergraph that does not load
// is refused, counted, and changes nothing that clients or /ready see.
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '#lib/service/http.ts';
import { supergraphHash } from '../../gateway/src/live-supergraph.ts';
import { watchedSupergraphFile } from '../../gateway/src/supergraph-source.ts';
import { limitSettingsFromEnv } from '../../gateway/src/limits/settings.ts';
import { resilienceSettingsFromEnv } from '../../gateway/src/upstream/settings.ts';
import { startFakeSubgraph } from '../../test/fake-subgraph.ts';
import { gatewayInFrontOf, subgraphUrlsOf, useTestStack } from '../../test/gateway.ts';
import { composeSupergraph } from '../../schema/compose.ts';
import { SUBGRAPHS } from '../../subgraphs/manifest.ts';
import { postGraphQL } from '../../test/graphql.ts';
import { SUPERGRAPH, WITHOUT_PRODUCT } from '../../test/supergraph-variants.ts';

const stack = useTestStack();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const CATALOGUE = 'query Catalogue { products(first: 2) { totalCount edges { node { id name } } } }';
const PRODUCT = '{ product(id: "1") { id } }';

let gateway: RunningService;
let supergraphFile: string;
/** The orders subgraph's answers wait for this while it is closed: requests stay in flight. */
let ordersGate: Promise<void> = Promise.resolve();

beforeAll(async () => {
  const directory = await mkdtemp(path.join(tmpdir(), 'supergraph-reload-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  supergraphFile = path.join(directory, 'supergraph.graphql');
  await writeFile(supergraphFile, SUPERGRAPH);
  // The orders subgraph behind a gate: each call is passed on once the gate is open.
  const gatedOrders = await startFakeSubgraph(
    (request, response) =>
      void ordersGate.then(async () => {
        const answer = await fetch(stack.subgraphs.orders.url, {
          method: 'POST',
          headers: Object.entries(request.headers).flatMap(([name, value]) =>
            name === 'host' || name === 'content-length' || typeof value !== 'string' ? [] : [[name, value]],
          ),
          body: JSON.stringify(request.body),
        });
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
      }),
  );
  cleanups.push(() => gatedOrders.close());
  gateway = await gatewayInFrontOf(stack, {
    supergraphSdl: watchedSupergraphFile(supergraphFile, { pollIntervalMs: 60_000 }),
    subgraphUrls: { ...subgraphUrlsOf(stack), orders: gatedOrders.url },
    // Every request reaches the subgraphs: none is answered from a cache while the swap happens.
    cache: false,
    // Requests held at the gate wait as long as a reload takes on a busy machine, not a timeout.
    resilience: { ...resilienceSettingsFromEnv(), timeoutMs: 60_000 },
    limits: { ...limitSettingsFromEnv(), operationTimeoutMs: 60_000 },
  });
  cleanups.push(() => gateway.close());
});

/** Written beside it and renamed over it, as `npm run schema:compose`, editors and Kubernetes do. */
async function replaceSupergraph(text: string) {
  await writeFile(`${supergraphFile}.next`, text);
  await rename(`${supergraphFile}.next`, supergraphFile);
}

async function readiness(): Promise<{ supergraph?: { hash?: unknown }; checks: Record<string, unknown> }> {
  return (await fetch(new URL('/ready', gateway.url))).json() as Promise<{ supergraph?: { hash?: unknown }; checks: Record<string, unknown> }>;
}

async function servedHash(): Promise<unknown> {
  return (await readiness()).supergraph?.hash;
}

async function metrics(): Promise<string> {
  return (await fetch(gateway.metricsUrl)).text();
}

/** The hash that gateway_supergraph_info shows: quicker to ask than /ready, which asks the subgraphs. */
async function servedHashInMetrics(): Promise<string | undefined> {
  return /^gateway_supergraph_info\{hash="(\w+)"\} 1$/m.exec(await metrics())?.[1];
}

function counted(text: string, result: string): number {
  return Number(new RegExp(`^gateway_supergraph_reloads_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

interface Answered {
  startedAt: number;
  endedAt: number;
  failure?: string;
}

/**
 * Catalogue requests from `clients` clients at once, one after another each, while `during` runs and
 * until `clients` more have been answered after it; every answer is checked.
 */
async function underLoad(during: () => Promise<void>, clients = 8): Promise<Answered[]> {
  const answered: Answered[] = [];
  let stopping = false;
  const client = async () => {
    while (!stopping) {
      const startedAt = performance.now();
      let failure: string | undefined;
      try {
        const { status, body } = await postGraphQL(gateway.url, CATALOGUE);
        const edges = (body.data?.products as { edges?: unknown[] } | undefined)?.edges;
        if (status !== 200 || body.errors || edges?.length !== 2) failure = `${status} ${JSON.stringify(body)}`;
      } catch (error) {
        failure = String(error);
      }
      answered.push({ startedAt, endedAt: performance.now(), failure });
    }
  };
  const running = Array.from({ length: clients }, client);
  await during();
  const after = performance.now();
  await until(async () => answered.filter((request) => request.startedAt > after).length >= clients, 30_000);
  stopping = true;
  await Promise.all(running);
  return answered;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5_000) {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a supergraph changed under load', () => {
  it('swaps to the new one with every request answered, those in flight across the swap included', async () => {
    expect(await servedHash()).toBe(supergraphHash(SUPERGRAPH));
    expect((await postGraphQL(gateway.url, PRODUCT)).body.errors).toBeUndefined();
    const loadedBefore = counted(await metrics(), 'loaded');

    let writtenAt = 0;
    let swappedAt = 0;
    const answered = await underLoad(async () => {
      // Every client's request held in flight, waiting for the orders subgraph, during the swap.
      let open = () => {};
      ordersGate = new Promise((resolve) => (open = resolve));
      await new Promise((resolve) => setTimeout(resolve, 200));
      writtenAt = performance.now();
      await replaceSupergraph(WITHOUT_PRODUCT);
      await until(async () => (await servedHashInMetrics()) === supergraphHash(WITHOUT_PRODUCT));
      swappedAt = performance.now();
      open();
    });

    expect(answered.filter((request) => request.failure)).toEqual([]);
    // Each client's request that started on the old supergraph ended on the new one; more followed.
    expect(answered.filter((request) => request.startedAt < writtenAt && request.endedAt > swappedAt)).toHaveLength(8);
    expect(answered.filter((request) => request.startedAt > swappedAt).length).toBeGreaterThanOrEqual(8);

    // The new supergraph is the one served: Query.product is gone.
    const { status, body } = await postGraphQL(gateway.url, PRODUCT);
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringContaining('product'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const text = await metrics();
    expect(counted(text, 'loaded')).toBe(loadedBefore + 1);
    expect(text).toContain(`gateway_supergraph_info{hash="${supergraphHash(WITHOUT_PRODUCT)}"} 1`);
  });

  it('refuses a supergraph that does not load: the one served stays, and the refusal is counted', async () => {
    await replaceSupergraph(WITHOUT_PRODUCT);
    await until(async () => (await servedHash()) === supergraphHash(WITHOUT_PRODUCT));
    const before = await metrics();

    // A file cut short, as a copy that failed half-way leaves it.
    const broken = WITHOUT_PRODUCT.slice(0, WITHOUT_PRODUCT.length / 2);
    const answered = await underLoad(async () => {
      await replaceSupergraph(broken);
      await until(async () => counted(await metrics(), 'invalid') === counted(before, 'invalid') + 1);
    });

    expect(answered.filter((request) => request.failure)).toEqual([]);
    expect(await servedHash()).toBe(supergraphHash(WITHOUT_PRODUCT));
    const after = await metrics();
    expect(counted(after, 'loaded')).toBe(counted(before, 'loaded'));
    expect(after).toContain(`gateway_supergraph_info{hash="${supergraphHash(WITHOUT_PRODUCT)}"} 1`);
    expect((await postGraphQL(gateway.url, PRODUCT)).status).toBe(400);

    // The original supergraph, back: Query.product answers again.
    await replaceSupergraph(SUPERGRAPH);
    await until(async () => (await servedHash()) === supergraphHash(SUPERGRAPH));
    expect((await postGraphQL(gateway.url, PRODUCT)).body.errors).toBeUndefined();
  });

  it('follows the subgraphs of the supergraph it serves: one a new supergraph drops is no longer checked by /ready', async () => {
    const withoutPosts = composeSupergraph(SUBGRAPHS.filter((subgraph) => subgraph.name !== 'posts')).supergraphSdl;
    const POST = '{ post(id: "1") { title } }';
    expect((await postGraphQL(gateway.url, POST)).body.errors).toBeUndefined();

    await replaceSupergraph(withoutPosts);
    await until(async () => (await servedHash()) === supergraphHash(withoutPosts));

    expect(Object.keys((await readiness()).checks).sort()).toEqual(['orders', 'users']);
    expect((await postGraphQL(gateway.url, POST)).body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect((await postGraphQL(gateway.url, CATALOGUE)).body.errors).toBeUndefined();

    // Back with the committed supergraph, which Apollo Gateway already had a data source for.
    await replaceSupergraph(SUPERGRAPH);
    await until(async () => (await servedHash()) === supergraphHash(SUPERGRAPH));
    expect(Object.keys((await readiness()).checks).sort()).toEqual(['orders', 'posts', 'users']);
    expect((await postGraphQL(gateway.url, POST)).body.errors).toBeUndefined();
  });
});
