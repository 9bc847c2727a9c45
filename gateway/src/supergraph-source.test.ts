import { mkdtemp, rename, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeSubgraph, type FakeSubgraph } from '../../test/fake-subgraph.ts';
import { polledSupergraphUrl, UNCHANGED, watchedSupergraphFile } from './supergraph-source.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function scratchDirectory() {
  const directory = await mkdtemp(path.join(tmpdir(), 'supergraph-source-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

describe('a watched supergraph file', () => {
  it('hears a file replaced by a rename, as editors and npm run schema:compose do', async () => {
    const directory = await scratchDirectory();
    const file = path.join(directory, 'supergraph.graphql');
    await writeFile(file, 'first');
    const source = watchedSupergraphFile(file, { pollIntervalMs: 60_000 });
    const changed = vi.fn();
    const stop = source.listen!(changed);
    cleanups.push(async () => stop());

    await writeFile(path.join(directory, '.next'), 'second');
    await rename(path.join(directory, '.next'), file);

    await vi.waitFor(() => expect(changed).toHaveBeenCalled());
    expect(await source.read()).toBe('second');
  });

  it('hears a Kubernetes ConfigMap update: the ..data symlink swapped beside a file that links through it', async () => {
    const directory = await scratchDirectory();
    for (const [version, text] of [
      ['..v1', 'first'],
      ['..v2', 'second'],
    ] as const) {
      await mkdir(path.join(directory, version));
      await writeFile(path.join(directory, version, 'supergraph.graphql'), text);
    }
    await symlink('..v1', path.join(directory, '..data'));
    const file = path.join(directory, 'supergraph.graphql');
    await symlink('..data/supergraph.graphql', file);
    const source = watchedSupergraphFile(file, { pollIntervalMs: 60_000 });
    expect(await source.read()).toBe('first');
    const changed = vi.fn();
    const stop = source.listen!(changed);
    cleanups.push(async () => stop());

    // What the kubelet does: a new symlink renamed over ..data; the file's own link never changes.
    await symlink('..v2', path.join(directory, '..data_tmp'));
    await rename(path.join(directory, '..data_tmp'), path.join(directory, '..data'));

    await vi.waitFor(() => expect(changed).toHaveBeenCalled());
    expect(await source.read()).toBe('second');
  });

  it('says what to run when the file is missing', async () => {
    const source = watchedSupergraphFile(path.join(await scratchDirectory(), 'missing.graphql'), { pollIntervalMs: 60_000 });
    await expect(source.read()).rejects.toThrow(/Cannot read the supergraph at .*missing\.graphql\. Run `npm run schema:compose`/);
  });
});

describe('a polled supergraph URL', () => {
  async function supergraphServer(): Promise<{ server: FakeSubgraph; body: { text: string; etag: string } }> {
    const body = { text: 'first', etag: '"1"' };
    const server = await startFakeSubgraph((request, response) => {
      if (request.headers['if-none-match'] === body.etag) return void response.writeHead(304).end();
      response.writeHead(200, { etag: body.etag, 'content-type': 'text/plain' }).end(body.text);
    });
    cleanups.push(() => server.close());
    return { server, body };
  }

  it('asks with the ETag of its last answer: a 304 reads as unchanged, a new ETag gives the new text', async () => {
    const { server, body } = await supergraphServer();
    const source = polledSupergraphUrl(server.url, { pollIntervalMs: 60_000 });

    expect(await source.read()).toBe('first');
    expect(await source.read()).toBe(UNCHANGED);
    Object.assign(body, { text: 'second', etag: '"2"' });
    expect(await source.read()).toBe('second');

    expect(server.received.map((request) => request.headers['if-none-match'])).toEqual([undefined, '"1"', '"1"']);
  });

  it('reads a server without ETags in full every time', async () => {
    const server = await startFakeSubgraph((_, response) => response.writeHead(200).end('always'));
    cleanups.push(() => server.close());
    const source = polledSupergraphUrl(server.url, { pollIntervalMs: 60_000 });
    expect([await source.read(), await source.read()]).toEqual(['always', 'always']);
  });

  it('fails with the address when the server cannot be reached', async () => {
    const server = await startFakeSubgraph();
    await server.close();
    await expect(polledSupergraphUrl(server.url, { pollIntervalMs: 60_000 }).read()).rejects.toThrow(`Cannot fetch the supergraph from ${server.url}: `);
  });

  it('fails with the status when the server answers an error', async () => {
    const server = await startFakeSubgraph((_, response) => response.writeHead(503).end('down'));
    cleanups.push(() => server.close());
    await expect(polledSupergraphUrl(server.url, { pollIntervalMs: 60_000 }).read()).rejects.toThrow(
      `Cannot fetch the supergraph: GET ${server.url} answered 503.`,
    );
  });
});
