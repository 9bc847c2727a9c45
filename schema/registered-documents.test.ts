import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { documentId, openDocumentRegistry } from '../documents/registry.ts';
import { readRegisteredDocuments, RegistryUnreadable } from './registered-documents.ts';

const directory = await mkdtemp(join(tmpdir(), 'registered-documents-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

const old = { name: 'web', version: '0.0.9' };
const next = { name: 'web', version: '0.1.0' };
const oldUserPage = 'query UserPage($id: ID!) { user(id: $id) { id createdAt } }';
const feed = 'query FeedPosts { posts(first: 10) { totalCount } }';
const userPage = 'query UserPage($id: ID!) { user(id: $id) { id name } }';
const manifestOf = (...bodies: string[]) => Object.fromEntries(bodies.map((body) => [`sha256:${documentId(body)}`, body]));

describe('readRegisteredDocuments', () => {
  it("merges the registry's client versions with the working tree's manifest, one entry per document", async () => {
    const registryFile = join(directory, 'registry.json');
    const registry = openDocumentRegistry({ file: registryFile });
    await registry.publish(old, manifestOf(oldUserPage, feed));
    await registry.close();
    const manifestFile = join(directory, 'persisted-documents.json');
    await writeFile(manifestFile, JSON.stringify(manifestOf(feed, userPage)));

    const { documents, summary } = await readRegisteredDocuments({ registry: { file: registryFile }, manifest: { file: manifestFile, client: next } });
    const clientsByBody = Object.fromEntries(documents.map(({ body, clients }) => [body, clients.map(({ version }) => version)]));
    expect(clientsByBody).toEqual({ [oldUserPage]: ['0.0.9'], [feed]: ['0.0.9', '0.1.0'], [userPage]: ['0.1.0'] });
    expect(documents.every(({ id, body }) => id === documentId(body))).toBe(true);
    expect(summary).toMatch(
      /^Registered operations: 2 documents in the registry \(.+registry\.json\), 2 in the working tree's .+persisted-documents\.json \(as web@0\.1\.0\)\.$/,
    );
  });

  it('reads the registry alone when the working tree has no manifest, and says so', async () => {
    const { documents, summary } = await readRegisteredDocuments({
      registry: { file: join(directory, 'empty.json') },
      manifest: { file: join(directory, 'missing.json'), client: next },
    });
    expect(documents).toEqual([]);
    expect(summary).toMatch(/^Registered operations: 0 documents in the registry \(.+empty\.json\), and no .+missing\.json in the working tree\.$/);
  });

  it('fails with what it could not read when the registry does not answer', async () => {
    const reading = readRegisteredDocuments({
      registry: { redisUrl: 'redis://127.0.0.1:1' },
      manifest: { file: join(directory, 'missing.json'), client: next },
    });
    await expect(reading).rejects.toThrow(RegistryUnreadable);
    await expect(reading).rejects.toThrow(/^Cannot read the trusted-documents registry \(Redis at 127\.0\.0\.1:1\): /);
  });
});
