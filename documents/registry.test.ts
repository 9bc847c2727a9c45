// The registry's promises, the same for the file and Redis: publishing adds and is idempotent,
// each client version keeps its set, a document lives while a version uses it, and readers see a
// publish from elsewhere within `refreshMs`.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { documentId, openDocumentRegistry, parseClientLabel, type DocumentRegistry, type DocumentRegistryOptions } from './registry.ts';

const REDIS_URL = process.env.REDIS_URL;
const directory = await mkdtemp(join(tmpdir(), 'trusted-documents-'));
const opened: DocumentRegistry[] = [];
afterAll(async () => {
  for (const registry of opened) await registry.close();
  await rm(directory, { recursive: true, force: true });
});

const manifestOf = (...bodies: string[]) => Object.fromEntries(bodies.map((body) => [documentId(body), body]));
const feed = 'query Feed { feed { id } }';
const me = 'query Me { me { id } }';
const orders = 'query Orders { orders { id } }';
const web1 = { name: 'web', version: '1.0.0' };
const web2 = { name: 'web', version: '2.0.0' };
const ios = { name: 'ios', version: '1.0.0' };

interface Kind {
  name: string;
  skip: boolean;
  /** Options naming a fresh, empty registry; two registries opened with the same options share it. */
  place(): DocumentRegistryOptions;
}

const kinds: Kind[] = [
  { name: 'file', skip: false, place: () => ({ file: join(directory, `${randomUUID()}.json`) }) },
  { name: 'Redis', skip: !REDIS_URL, place: () => ({ redisUrl: REDIS_URL, keyPrefix: `test:${randomUUID()}:` }) },
];

function open(options: DocumentRegistryOptions): DocumentRegistry {
  const registry = openDocumentRegistry(options);
  opened.push(registry);
  return registry;
}

describe.each(kinds)('$name registry', (kind) => {
  it.skipIf(kind.skip)('serves published documents by their sha256, and nothing else', async () => {
    const registry = open(kind.place());
    expect(await registry.publish(web1, manifestOf(feed, me))).toEqual({ added: 2, unchanged: 0 });
    expect(await registry.get(documentId(feed))).toBe(feed);
    expect(await registry.get(documentId(orders))).toBeUndefined();
  });

  it.skipIf(kind.skip)("reads codegen's manifest, whose ids are written sha256:<hex>", async () => {
    const registry = open(kind.place());
    expect(await registry.publish(web1, { [`sha256:${documentId(feed)}`]: feed })).toEqual({ added: 1, unchanged: 0 });
    expect(await registry.get(documentId(feed))).toBe(feed);
    expect(await registry.get(`sha256:${documentId(feed)}`)).toBe(feed);
    expect((await registry.list()).map(({ id }) => id)).toEqual([documentId(feed)]);
  });

  it.skipIf(kind.skip)('changes nothing when the same manifest is published twice', async () => {
    const registry = open(kind.place());
    await registry.publish(web1, manifestOf(feed, me));
    const before = await registry.list();
    expect(await registry.publish(web1, manifestOf(feed, me))).toEqual({ added: 0, unchanged: 2 });
    expect(await registry.list()).toEqual(before);
  });

  it.skipIf(kind.skip)('keeps a set per client version, and a document while any version still uses it', async () => {
    const registry = open(kind.place());
    await registry.publish(web1, manifestOf(feed, me));
    await registry.publish(web2, manifestOf(feed, orders));
    await registry.publish(ios, manifestOf(me));
    const clientsOf = async () =>
      Object.fromEntries((await registry.list()).map((document) => [document.body, document.clients.map((c) => `${c.name}@${c.version}`).sort()]));
    expect(await clientsOf()).toEqual({ [feed]: ['web@1.0.0', 'web@2.0.0'], [me]: ['ios@1.0.0', 'web@1.0.0'], [orders]: ['web@2.0.0'] });

    expect(await registry.retire(web1)).toEqual({ removed: 0 }); // feed: web@2; me: ios
    expect(await clientsOf()).toEqual({ [feed]: ['web@2.0.0'], [me]: ['ios@1.0.0'], [orders]: ['web@2.0.0'] });
    expect(await registry.retire(web2)).toEqual({ removed: 2 });
    expect(await registry.retire(web2)).toEqual({ removed: 0 });
    expect(Object.keys(await clientsOf())).toEqual([me]);
  });

  it.skipIf(kind.skip)('refuses a manifest whose ids are not the sha256 of their documents', async () => {
    const registry = open(kind.place());
    await expect(registry.publish(web1, { [documentId(feed)]: me })).rejects.toThrow(/not the sha256 of its document/);
    expect(await registry.list()).toEqual([]);
  });

  it.skipIf(kind.skip)('shows a reader what another process published and retired, within refreshMs', async () => {
    const place = kind.place();
    const reader = open({ ...place, refreshMs: 50 });
    const publisher = open(place);
    expect(await reader.get(documentId(orders))).toBeUndefined();
    await publisher.publish(web1, manifestOf(orders));
    await expect.poll(() => reader.get(documentId(orders)), { timeout: 2_000 }).toBe(orders);
    await publisher.retire(web1);
    await expect.poll(() => reader.get(documentId(orders)), { timeout: 2_000 }).toBeUndefined();
  });
});

describe('parseClientLabel', () => {
  it('splits name@version at the last @, so that scoped names work', () => {
    expect(parseClientLabel('@acme/web@1.2.0')).toEqual({ name: '@acme/web', version: '1.2.0' });
    expect(() => parseClientLabel('web')).toThrow(/name@version/);
  });
});
