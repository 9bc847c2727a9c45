// The trusted-documents plugin in-process, on a one-field schema: the settings' defaults, each
// mode, the log once per document, and a registry that cannot be reached.
import { ApolloServer } from '@apollo/server';
import { describe, expect, it, vi } from 'vitest';
import type { Viewer } from '#lib/service/auth.ts';
import type { Logger } from '#lib/service/logger.ts';
import { documentId, type DocumentRegistry } from '../../../documents/registry.ts';
import { trustedDocumentsPlugin, type TrustedDocumentsContext } from './plugin.ts';
import { trustedDocumentSettingsFromEnv, type TrustedDocumentSettings } from './settings.ts';

const REGISTERED = 'query Hello { hello }';
const AD_HOC = '{ hello }';

function registryOf(...bodies: string[]): DocumentRegistry {
  const documents = new Map(bodies.map((body) => [documentId(body), body]));
  return {
    publish: vi.fn(),
    retire: vi.fn(),
    get: async (id) => documents.get(id),
    list: vi.fn(),
    close: async () => {},
  };
}

const unreachable: DocumentRegistry = {
  ...registryOf(),
  get: () => Promise.reject(new Error('Redis is reconnecting')),
};

async function serverWith(settings: Pick<TrustedDocumentSettings, 'mode' | 'adminAdhoc'>, registry: DocumentRegistry) {
  const logger = { warn: vi.fn(), error: vi.fn(), info: vi.fn(), debug: vi.fn() } as unknown as Logger & { info: ReturnType<typeof vi.fn> };
  const server = new ApolloServer<TrustedDocumentsContext>({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
    plugins: [trustedDocumentsPlugin(settings, registry, logger)],
  });
  await server.start();
  const run = async (request: { query?: string; extensions?: Record<string, unknown> }, viewer: Viewer | null = null) => {
    const response = await server.executeOperation(request, { contextValue: { viewer } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status ?? 200, result: response.body.singleResult };
  };
  return { run, logger, stop: () => server.stop() };
}

const byId = (body: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: documentId(body) } } });
const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;

describe('trustedDocumentSettingsFromEnv', () => {
  it('enforces in production and logs elsewhere, with admins exempt unless told otherwise', () => {
    expect(trustedDocumentSettingsFromEnv({ NODE_ENV: 'production' })).toMatchObject({ mode: 'enforce', adminAdhoc: true });
    expect(trustedDocumentSettingsFromEnv({})).toMatchObject({ mode: 'log', adminAdhoc: true });
    expect(trustedDocumentSettingsFromEnv({ NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'off', TRUSTED_DOCUMENTS_ADMIN_ADHOC: 'false' })).toMatchObject({
      mode: 'off',
      adminAdhoc: false,
    });
    expect(trustedDocumentSettingsFromEnv({}).registry).toEqual({ redisUrl: undefined, file: '.data/trusted-documents.json' });
    expect(trustedDocumentSettingsFromEnv({}, 'redis://cache:6379').registry.redisUrl).toBe('redis://cache:6379');
  });
});

describe('trustedDocumentsPlugin', () => {
  it('under enforce runs registered documents, by id or in full, and refuses the rest', async () => {
    const { run, stop } = await serverWith({ mode: 'enforce', adminAdhoc: true }, registryOf(REGISTERED));
    expect(await run(byId(REGISTERED))).toEqual({ status: 200, result: { data: { hello: 'world' } } });
    expect(await run({ query: REGISTERED })).toEqual({ status: 200, result: { data: { hello: 'world' } } });
    const adHoc = await run({ query: AD_HOC });
    expect([adHoc.status, codeOf(adHoc.result)]).toEqual([403, 'DOCUMENT_NOT_TRUSTED']);
    const unknownId = await run(byId(AD_HOC));
    expect([unknownId.status, codeOf(unknownId.result)]).toEqual([404, 'PERSISTED_QUERY_NOT_FOUND']);
    expect((await run({ query: AD_HOC }, { id: 1, role: 'ADMIN', scopes: [] })).result).toEqual({ data: { hello: 'world' } });
    await stop();
  });

  it('under log runs the rest and logs each document once', async () => {
    const { run, logger, stop } = await serverWith({ mode: 'log', adminAdhoc: true }, registryOf(REGISTERED));
    for (let i = 0; i < 3; i++) expect((await run({ query: AD_HOC })).result).toEqual({ data: { hello: 'world' } });
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info.mock.calls[0]![0]).toMatchObject({ documentId: documentId(AD_HOC) });
    await stop();
  });

  it('refuses what it cannot check under enforce, with 503, while the registry cannot be reached; log runs it', async () => {
    const enforcing = await serverWith({ mode: 'enforce', adminAdhoc: true }, unreachable);
    const refused = await enforcing.run({ query: REGISTERED });
    expect([refused.status, codeOf(refused.result)]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(codeOf((await enforcing.run(byId(REGISTERED))).result)).toBe('SERVICE_UNAVAILABLE');
    await enforcing.stop();
    const logging = await serverWith({ mode: 'log', adminAdhoc: true }, unreachable);
    expect((await logging.run({ query: AD_HOC })).result).toEqual({ data: { hello: 'world' } });
    await logging.stop();
  });
});
