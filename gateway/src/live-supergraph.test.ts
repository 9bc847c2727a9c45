import { createHash } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ApolloGateway } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import { pino } from 'pino';
import { register } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SUPERGRAPH, WITHOUT_PRODUCT } from '../../test/supergraph-variants.ts';
import { liveSupergraph, supergraphHash } from './live-supergraph.ts';
import { UNCHANGED, watchedSupergraphFile, type SupergraphSource } from './supergraph-source.ts';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** What the unit logs, as parsed JSON lines. */
function capturedLogger() {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );
  return { logger, lines };
}

async function reloadCount(result: string): Promise<number> {
  const metric = await register.getSingleMetric('gateway_supergraph_reloads_total')!.get();
  return metric.values.find((value) => value.labels.result === result)?.value ?? 0;
}

async function servedHashes(): Promise<unknown[]> {
  const metric = await register.getSingleMetric('gateway_supergraph_info')!.get();
  return metric.values.map((value) => value.labels.hash);
}

/** Apollo Gateway over the source, loaded as Apollo Server loads it; `schema()` is what it serves now. */
async function gatewayOver(source: SupergraphSource) {
  const { logger, lines } = capturedLogger();
  const live = liveSupergraph(source, { logger, settleMs: 20 });
  const gateway = new ApolloGateway({ supergraphSdl: live.manager, logger: pino({ level: 'silent' }) });
  let schema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => (schema = apiSchema));
  await gateway.load();
  stops.push(() => gateway.stop());
  return { live, lines, hasProductField: () => schema!.getQueryType()!.getFields().product !== undefined };
}

async function scratchFile(text: string) {
  const directory = await mkdtemp(path.join(tmpdir(), 'live-supergraph-'));
  stops.push(() => rm(directory, { recursive: true, force: true }));
  const file = path.join(directory, 'supergraph.graphql');
  await writeFile(file, text);
  return {
    file,
    /** Written beside it, then renamed over it: readers see the old file or the new one, never half of one. */
    replace: async (next: string) => {
      await writeFile(`${file}.next`, next);
      await rename(`${file}.next`, file);
    },
  };
}

describe('the live supergraph', () => {
  it('is the hash of the SDL: the first 12 hex digits of its sha256, as sha256sum prints them', () => {
    expect(supergraphHash(SUPERGRAPH)).toBe(createHash('sha256').update(SUPERGRAPH).digest('hex').slice(0, 12));
    expect(supergraphHash(SUPERGRAPH)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('serves a watched file, and its next version as soon as it is written', async () => {
    const { file, replace } = await scratchFile(SUPERGRAPH);
    const loaded = await reloadCount('loaded');
    const { live, hasProductField, lines } = await gatewayOver(watchedSupergraphFile(file, { pollIntervalMs: 60_000 }));
    expect(live.hash()).toBe(supergraphHash(SUPERGRAPH));
    expect(await servedHashes()).toEqual([supergraphHash(SUPERGRAPH)]);
    expect(hasProductField()).toBe(true);

    await replace(WITHOUT_PRODUCT);

    await vi.waitFor(() => expect(live.hash()).toBe(supergraphHash(WITHOUT_PRODUCT)));
    expect(hasProductField()).toBe(false);
    expect(await servedHashes()).toEqual([supergraphHash(WITHOUT_PRODUCT)]);
    expect(await reloadCount('loaded')).toBe(loaded + 1);
    expect(lines.at(-1)).toMatchObject({ msg: 'supergraph reloaded', hash: supergraphHash(WITHOUT_PRODUCT), previous: supergraphHash(SUPERGRAPH) });
  });

  it('keeps serving the supergraph it has when the new one does not load, and logs and counts why once', async () => {
    const { file, replace } = await scratchFile(SUPERGRAPH);
    const invalid = await reloadCount('invalid');
    const watched = watchedSupergraphFile(file, { pollIntervalMs: 60_000 });
    let reads = 0;
    const read = () => watched.read().finally(() => reads++);
    const { live, hasProductField, lines } = await gatewayOver({ ...watched, read });
    /** Replaces the file and waits until it has been read (and what was read dealt with). */
    const replaceAndRead = async (text: string) => {
      const before = reads;
      await replace(text);
      await vi.waitFor(() => expect(reads).toBeGreaterThan(before));
    };

    // Valid GraphQL that is no supergraph, then a truncated file.
    for (const [index, broken] of ['type Query { hello: String }', SUPERGRAPH.slice(0, 5_000)].entries()) {
      await replace(broken);
      await vi.waitFor(async () => expect(await reloadCount('invalid')).toBe(invalid + index + 1));
      expect(live.hash()).toBe(supergraphHash(SUPERGRAPH));
      expect(hasProductField()).toBe(true);
      expect(lines.at(-1)).toMatchObject({
        level: 50,
        msg: expect.stringContaining('does not load; the gateway goes on serving the one it has'),
        result: 'invalid',
        hash: supergraphHash(broken),
        served: supergraphHash(SUPERGRAPH),
        reason: expect.any(String),
      });
    }
    // The same broken file seen again is not a new refusal...
    await replaceAndRead(SUPERGRAPH.slice(0, 5_000));
    expect(await reloadCount('invalid')).toBe(invalid + 2);
    // ...unless the served one came back in between.
    await replaceAndRead(SUPERGRAPH);
    await replace(SUPERGRAPH.slice(0, 5_000));
    await vi.waitFor(async () => expect(await reloadCount('invalid')).toBe(invalid + 3));

    // A fixed one loads.
    await replace(WITHOUT_PRODUCT);
    await vi.waitFor(() => expect(hasProductField()).toBe(false));
    expect(await servedHashes()).toEqual([supergraphHash(WITHOUT_PRODUCT)]);
  });

  it('keeps serving what it has when the file goes away', async () => {
    const { file } = await scratchFile(SUPERGRAPH);
    const unreadable = await reloadCount('unreadable');
    const { live, hasProductField, lines } = await gatewayOver(watchedSupergraphFile(file, { pollIntervalMs: 60_000 }));

    await rm(file);

    await vi.waitFor(async () => expect(await reloadCount('unreadable')).toBe(unreadable + 1));
    expect(lines.at(-1)).toMatchObject({ result: 'unreadable', reason: expect.stringContaining('Cannot read the supergraph') });
    expect(live.hash()).toBe(supergraphHash(SUPERGRAPH));
    expect(hasProductField()).toBe(true);
  });

  it('polls a source it cannot listen to, and takes "unchanged" for no change', async () => {
    let text: string | typeof UNCHANGED = SUPERGRAPH;
    const read = vi.fn(async () => text);
    const { live, hasProductField } = await gatewayOver({ location: 'test', read, pollIntervalMs: 20 });
    text = UNCHANGED;
    await vi.waitFor(() => expect(read.mock.calls.length).toBeGreaterThan(2));
    expect(live.hash()).toBe(supergraphHash(SUPERGRAPH));

    text = WITHOUT_PRODUCT;
    await vi.waitFor(() => expect(hasProductField()).toBe(false));
    expect(live.hash()).toBe(supergraphHash(WITHOUT_PRODUCT));
  });

  it('stops reading when the gateway stops', async () => {
    const read = vi.fn(async () => SUPERGRAPH);
    await gatewayOver({ location: 'test', read, pollIntervalMs: 10 });
    await stops.pop()!();
    const reads = read.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(read.mock.calls.length).toBe(reads);
  });

  it.each([
    ['is missing', undefined, /^Cannot read the supergraph at .*\. Run `npm run schema:compose` to write it\.$/],
    ['is not GraphQL', 'type Query {', /^The supergraph from .* is not valid GraphQL: Syntax Error/],
    ['is no supergraph', 'type Query { hello: String }', /supergraph/i],
  ])('refuses to start when the supergraph %s, saying why', async (_, text, message) => {
    const { file } = await scratchFile(text ?? '');
    if (text === undefined) await rm(file);
    const silent = pino({ level: 'silent' });
    const gateway = new ApolloGateway({
      supergraphSdl: liveSupergraph(watchedSupergraphFile(file, { pollIntervalMs: 60_000 }), { logger: silent }).manager,
      logger: silent,
    });
    await expect(gateway.load()).rejects.toThrow(message);
  });
});
