// Early cache hits through a real gateway in-process, in front of stand-in subgraphs: a hit is
// answered before Apollo Server, as the full path answers it, to the same audience only, charged
// to the same rate budget, and never after an invalidation.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'prom-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createInvalidationPublisher } from '#lib/service/cache-invalidation.ts';
import { createLogger } from '#lib/service/logger.ts';
import { ADA, BOB, CAROL, bearer } from '../../../test/auth.ts';
import { answerWith, useGatewayOverFakeSubgraphs } from '../../../test/fake-subgraph.ts';
import { documentId } from '../../../documents/registry.ts';
import type { GatewayOptions } from '../gateway.ts';
import { DEFAULT_LIMITS, type RateLimitSettings } from '../limits/settings.ts';
import { DEFAULT_CACHE } from './index.ts';

const postQuery = '{ post(id: "1") { id title } }';
const meQuery = '{ me { id } }';

let title = 'Hello';

const { subgraphs, gatewayWith: startOverFakes } = useGatewayOverFakeSubgraphs({
  // `me` is whoever the token names, PRIVATE; the post is PUBLIC.
  users: (request, response) => {
    const token = request.headers.authorization?.split('.')[1];
    const id = token ? (JSON.parse(Buffer.from(token, 'base64url').toString()) as { sub: string }).sub : null;
    answerWith({ data: { me: id && { id } } }, { headers: { 'cache-control': 'max-age=60, private' } })(request, response);
  },
  posts: (request, response) => answerWith({ data: { post: { id: '1', title } } }, { headers: { 'cache-control': 'max-age=60, public' } })(request, response),
});

function gatewayWith(options: { earlyHits?: boolean; rateLimit?: RateLimitSettings; trustedDocuments?: GatewayOptions['trustedDocuments'] } = {}) {
  return startOverFakes({
    limits: { ...DEFAULT_LIMITS, rateLimit: options.rateLimit ?? DEFAULT_LIMITS.rateLimit },
    cache: { ...DEFAULT_CACHE, evenWithoutInvalidation: true, earlyHits: options.earlyHits ?? true },
    trustedDocuments: options.trustedDocuments ?? false,
  });
}

/** The names of the response's headers, in the order they were sent. */
function headerNames(url: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      resolve(response.rawHeaders.filter((_, index) => index % 2 === 0));
    });
    request.on('error', reject).end(JSON.stringify({ query: postQuery }));
  });
}

async function ask(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Operations Apollo Server ran at the gateways so far: an early hit is not one. */
async function operationsRun(): Promise<number> {
  const metric = await register.getSingleMetric('graphql_operations_total')!.get();
  return metric.values.filter((value) => value.labels.service === 'gateway').reduce((sum, value) => sum + value.value, 0);
}

const SAME_AS_FULL_PATH = ['content-type', 'cache-control', 'vary', 'x-cache', 'ratelimit-limit', 'ratelimit-reset'];

describe('early cache hits', () => {
  it('answer a repeated query before Apollo Server, with the body and headers of a hit on the full path', async () => {
    const early = await gatewayWith();
    const full = await gatewayWith({ earlyHits: false });
    const hits = [];
    for (const gateway of [early, full]) {
      const miss = await ask(gateway.url, postQuery);
      expect(miss.headers.get('x-cache')).toBe('MISS');
      const before = await operationsRun();
      const hit = await ask(gateway.url, postQuery);
      hits.push({ ...hit, ranApollo: (await operationsRun()) - before, miss });
    }
    const [earlyHit, fullHit] = hits;
    // In the same order, too (the docs show them so).
    expect(await headerNames(early.url)).toEqual(await headerNames(full.url));
    expect(earlyHit!.ranApollo).toBe(0);
    expect(fullHit!.ranApollo).toBe(1);
    expect(earlyHit!.text).toBe(fullHit!.text);
    expect(earlyHit!.text).toBe(earlyHit!.miss.text);
    expect(JSON.parse(earlyHit!.text)).toMatchObject({ data: { post: { id: '1', title: 'Hello' } }, extensions: { cost: {} } });
    for (const name of SAME_AS_FULL_PATH) expect([name, earlyHit!.headers.get(name)]).toEqual([name, fullHit!.headers.get(name)]);
    expect(earlyHit!.headers.get('x-cache')).toBe('HIT');
    expect(earlyHit!.headers.get('age')).toMatch(/^\d+$/);
    expect(earlyHit!.headers.get('x-request-id')).toBeTruthy();
    expect(subgraphs.posts.received).toHaveLength(2);
  });

  it('answer a GET naming a persisted query by its hash', async () => {
    const gateway = await gatewayWith();
    const sha256Hash = createHash('sha256').update(postQuery).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const registered = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: postQuery, extensions }),
    });
    expect(registered.headers.get('x-cache')).toBe('MISS');
    const byHash = () =>
      fetch(`${gateway.url}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`, { headers: { 'apollo-require-preflight': 'true' } });
    // The first request by hash alone takes the full path (only Apollo Server checks a hash against a text); the next are early.
    expect((await byHash()).headers.get('x-cache')).toBe('HIT');
    const before = await operationsRun();
    const early = await byHash();
    expect(early.headers.get('x-cache')).toBe('HIT');
    expect(await early.json()).toMatchObject({ data: { post: { title: 'Hello' } } });
    expect(await operationsRun()).toBe(before);
  });

  it('take the full path for a request Apollo Server would refuse as a possible CSRF: a GET without a preflight header', async () => {
    const gateway = await gatewayWith();
    const url = `${gateway.url}?query=${encodeURIComponent(postQuery)}`;
    await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    const simple = await fetch(url);
    expect(simple.status).toBe(400);
    expect(simple.headers.get('x-cache')).toBeNull();
  });

  it("never serve a user's PRIVATE answer to another user, nor to an anonymous caller", async () => {
    const gateway = await gatewayWith();
    const bob = await bearer(BOB);
    await ask(gateway.url, meQuery, bob);
    const again = await ask(gateway.url, meQuery, bob);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(JSON.parse(again.text).data).toEqual({ me: { id: '2' } });
    expect(again.headers.get('cache-control')).toMatch(/^max-age=\d+, private$/);

    const carol = await ask(gateway.url, meQuery, await bearer(CAROL));
    expect(carol.headers.get('x-cache')).toBe('MISS');
    expect(JSON.parse(carol.text).data).toEqual({ me: { id: '3' } });
    const anonymous = await ask(gateway.url, meQuery);
    expect(anonymous.headers.get('x-cache')).toBe('MISS');
    expect(JSON.parse(anonymous.text).data).toEqual({ me: null });
    expect(subgraphs.users.received).toHaveLength(3);
  });

  /** A registry of trusted documents in a file of its own, holding `documents`. */
  function registryWith(documents: string[]) {
    const directory = mkdtempSync(join(tmpdir(), 'early-hits-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const file = join(directory, 'registry.json');
    const ids = documents.map(documentId);
    writeFileSync(file, JSON.stringify({ clients: { 'web@1': ids }, documents: Object.fromEntries(ids.map((id, index) => [id, documents[index]])) }));
    return { file };
  }

  it('answer a registered document sent by its id, as the web app sends it', async () => {
    const gateway = await gatewayWith({ trustedDocuments: { mode: 'enforce', adminAdhoc: false, registry: registryWith([postQuery]) } });
    const byId = () =>
      fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: documentId(postQuery) } } }),
      });
    expect((await byId()).headers.get('x-cache')).toBe('MISS');
    const before = await operationsRun();
    const early = await byId();
    expect(early.headers.get('x-cache')).toBe('HIT');
    expect(await early.json()).toMatchObject({ data: { post: { title: 'Hello' } } });
    expect(await operationsRun()).toBe(before);
  });

  it('serve a document only to the role the full path ran it for: an admin may run unregistered documents, a user may not', async () => {
    const gateway = await gatewayWith({ trustedDocuments: { mode: 'enforce', adminAdhoc: true, registry: registryWith([]) } });
    const ada = await bearer(ADA);
    await ask(gateway.url, postQuery, ada);
    expect((await ask(gateway.url, postQuery, ada)).headers.get('x-cache')).toBe('HIT');
    // The PUBLIC answer is kept for every signed-in caller, but Bob may not run this document.
    const bob = await ask(gateway.url, postQuery, await bearer(BOB));
    expect(bob.headers.get('x-cache')).not.toBe('HIT');
    expect(JSON.parse(bob.text)).toMatchObject({ errors: [{ extensions: { code: expect.any(String) } }] });
  });

  it("charge every hit to the caller's rate budget: past it, 429", async () => {
    const gateway = await gatewayWith({ rateLimit: { capacity: 4, refillPerSecond: 0.001 } });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await ask(gateway.url, postQuery));
    const charge = 4 - Number(answers[0]!.headers.get('ratelimit-remaining'));
    const allowed = Math.floor(4 / charge);
    expect(allowed).toBeGreaterThan(1);
    expect(answers.slice(0, allowed).map((answer) => answer.status)).toEqual(Array(allowed).fill(200));
    expect(answers[1]!.headers.get('x-cache')).toBe('HIT');
    expect(answers[1]!.headers.get('ratelimit-remaining')).toBe(String(4 - 2 * charge));
    expect(answers[allowed]!.status).toBe(429);
    expect(JSON.parse(answers[allowed]!.text).errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('serve nothing stale once a mutation invalidated the answer', async () => {
    const gateway = await gatewayWith();
    await ask(gateway.url, postQuery);
    expect((await ask(gateway.url, postQuery)).headers.get('x-cache')).toBe('HIT');
    title = 'Hello again';
    const publisher = createInvalidationPublisher({ logger: createLogger('test') });
    await publisher.publish([{ type: 'Post', id: 1 }]);
    await publisher.close();
    const after = await ask(gateway.url, postQuery);
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(JSON.parse(after.text).data).toEqual({ post: { id: '1', title: 'Hello again' } });
    title = 'Hello';
  });
});
