// Trusted documents through a real gateway over HTTP: under enforce only what the registry holds
// runs (by id over POST and GET, or sent in full), with the limits still applied; log runs the
// rest and counts it; admins may run anything unless told not to; a manifest published by
// `npm run documents:publish` while the gateway runs is served without a restart.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningService } from '#lib/service/http.ts';
import { trustedDocumentRequests } from '#lib/service/metrics.ts';
import { documentId, openDocumentRegistry, type DocumentRegistryOptions } from '../../documents/registry.ts';
import type { TrustedDocumentSettings } from '../../gateway/src/trusted-documents/settings.ts';
import { ADA, bearer, BOB } from '../../test/auth.ts';
import { gatewayInFrontOf, useTestStack } from '../../test/gateway.ts';
import { postGraphQL, postRaw } from '../../test/graphql.ts';

const stack = useTestStack();
const directory = await mkdtemp(join(tmpdir(), 'trusted-documents-e2e-'));
const gateways: RunningService[] = [];
afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await rm(directory, { recursive: true, force: true });
});

const CATALOGUE = 'query Catalogue { products(first: 2) { edges { node { name priceCents } } } }';
// Six levels deep (edges and node do not count): one more than the gateway's default limit allows.
const TOO_DEEP =
  'query TooDeep { users(first: 1) { edges { node { posts(first: 1) { edges { node { comments(first: 1) { edges { node { post { comments(first: 1) { edges { node { author { name } } } } } } } } } } } } } } }';
const AD_HOC = '{ products(first: 1) { totalCount } }';
const WEB = { name: 'web', version: '9.9.9' };

/** A gateway with its own, fresh registry (a file: the Redis store has the same tests in documents/registry.test.ts). */
async function gatewayWith(settings: Omit<TrustedDocumentSettings, 'registry'>, manifest: Record<string, string> = {}) {
  const registry: DocumentRegistryOptions = { file: join(directory, `${randomUUID()}.json`), refreshMs: 50 };
  const publisher = openDocumentRegistry(registry);
  await publisher.publish(WEB, manifest);
  await publisher.close();
  const gateway = await gatewayInFrontOf(stack, { trustedDocuments: { ...settings, registry } });
  gateways.push(gateway);
  return { gateway, registry };
}

const byId = (body: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: documentId(body) } } });
const manifestOf = (...bodies: string[]) => Object.fromEntries(bodies.map((body) => [`sha256:${documentId(body)}`, body]));
const count = async (outcome: string) => (await trustedDocumentRequests.get()).values.find((value) => value.labels.outcome === outcome)?.value ?? 0;

describe('TRUSTED_DOCUMENTS=enforce', () => {
  it('runs a registered document by its id, and sent in full', async () => {
    const { gateway } = await gatewayWith({ mode: 'enforce', adminAdhoc: true }, manifestOf(CATALOGUE));
    const byItsId = await postRaw(gateway.url, JSON.stringify(byId(CATALOGUE)));
    expect(byItsId.status).toBe(200);
    expect(byItsId.body.data?.products).toMatchObject({ edges: [{ node: { name: expect.any(String) } }, expect.anything()] });
    expect((await postGraphQL(gateway.url, CATALOGUE)).body).toEqual(byItsId.body);
  });

  it('refuses a document it does not hold, with 403, and an id it does not hold, with 404', async () => {
    const { gateway } = await gatewayWith({ mode: 'enforce', adminAdhoc: true }, manifestOf(CATALOGUE));
    const adHoc = await postGraphQL(gateway.url, AD_HOC);
    expect(adHoc.status).toBe(403);
    expect(adHoc.body.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('npm run documents:publish'), extensions: { code: 'DOCUMENT_NOT_TRUSTED' } }),
    ]);
    const unknownId = await postRaw(gateway.url, JSON.stringify(byId(AD_HOC)));
    expect(unknownId.status).toBe(404);
    expect(unknownId.body.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining(documentId(AD_HOC)), extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }),
    ]);
    // Nor can an id be registered by sending its document along (Apollo's automatic persisted queries).
    const registering = await postRaw(gateway.url, JSON.stringify({ query: AD_HOC, ...byId(AD_HOC) }));
    expect(registering.body.errors?.[0]?.extensions?.code).toBe('DOCUMENT_NOT_TRUSTED');
    expect((await postRaw(gateway.url, JSON.stringify(byId(AD_HOC)))).status).toBe(404);
  });

  it('serves a registered query by id over GET with a Cache-Control a CDN can keep', async () => {
    const { gateway } = await gatewayWith({ mode: 'enforce', adminAdhoc: true }, manifestOf(CATALOGUE));
    const url = new URL(gateway.url);
    url.searchParams.set('operationName', 'Catalogue');
    url.searchParams.set('extensions', JSON.stringify(byId(CATALOGUE).extensions));
    // Apollo Server's CSRF prevention wants a header no HTML form can send on a GET.
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('max-age=300, public');
    expect(((await response.json()) as { data: unknown }).data).toMatchObject({ products: { edges: expect.any(Array) } });
  });

  it('still applies the limits to a registered document', async () => {
    const { gateway } = await gatewayWith({ mode: 'enforce', adminAdhoc: true }, manifestOf(TOO_DEEP));
    const response = await postRaw(gateway.url, JSON.stringify(byId(TOO_DEEP)));
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('lets a signed-in admin run any document, unless TRUSTED_DOCUMENTS_ADMIN_ADHOC=false', async () => {
    const { gateway } = await gatewayWith({ mode: 'enforce', adminAdhoc: true });
    expect((await postGraphQL(gateway.url, AD_HOC, undefined, await bearer(ADA))).body.data).toEqual({ products: { totalCount: expect.any(Number) } });
    // Not the admin's document: the one an admin ran may be answered from the caches.
    expect((await postGraphQL(gateway.url, '{ products(first: 3) { totalCount } }', undefined, await bearer(BOB))).status).toBe(403);

    const strict = await gatewayWith({ mode: 'enforce', adminAdhoc: false });
    const refused = await postGraphQL(strict.gateway.url, AD_HOC, undefined, await bearer(ADA));
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.message).not.toContain('admins');
  });

  it('serves a manifest published while it runs, without a restart (npm run documents:publish)', async () => {
    const { gateway, registry } = await gatewayWith({ mode: 'enforce', adminAdhoc: true });
    expect((await postRaw(gateway.url, JSON.stringify(byId(CATALOGUE)))).status).toBe(404);
    const manifest = join(directory, `${randomUUID()}.json`);
    await writeFile(manifest, JSON.stringify(manifestOf(CATALOGUE)));
    const published = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'documents/publish-cli.ts', manifest, '--client', 'ios', '--version', '2.0.0'],
      {
        env: { ...process.env, REDIS_URL: '', TRUSTED_DOCUMENTS_FILE: registry.file },
      },
    );
    expect(published.stdout).toContain('Published ios@2.0.0');
    await expect.poll(async () => (await postRaw(gateway.url, JSON.stringify(byId(CATALOGUE)))).status, { timeout: 5_000 }).toBe(200);
  });
});

describe('TRUSTED_DOCUMENTS=log', () => {
  it('runs an unregistered document and counts it', async () => {
    const { gateway } = await gatewayWith({ mode: 'log', adminAdhoc: true }, manifestOf(CATALOGUE));
    const [logged, registered] = [await count('logged'), await count('registered')];
    expect((await postGraphQL(gateway.url, AD_HOC)).body.data).toEqual({ products: { totalCount: expect.any(Number) } });
    expect((await postRaw(gateway.url, JSON.stringify(byId(CATALOGUE)))).status).toBe(200);
    expect(await count('logged')).toBe(logged + 1);
    expect(await count('registered')).toBe(registered + 1);
  });
});
