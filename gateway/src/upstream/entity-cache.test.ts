// The entity cache unit with the in-memory store: which representations reach the subgraph.
import { buildSchema } from 'graphql';
import { Headers } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Viewer } from '#lib/service/auth.ts';
import { attachToRequest, createGatewayCache, type GatewayCache } from '../cache/gateway-cache.ts';
import { DEFAULT_CACHE } from '../cache/settings.ts';
import { createLogger } from '#lib/service/logger.ts';
import { incomingOperation, stubCall, upstreamContext, upstreamRequest } from '../../../test/upstream-requests.ts';
import { entityCache } from './entity-cache.ts';
import type { UpstreamRequest, UpstreamResponse } from './types.ts';

const schema = buildSchema('type Query { user(id: ID!): User } type User { id: ID! name: String! }');
const entitiesQuery = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { name } } }';
const NAMES: Record<string, string> = { '1': 'Ada', '2': 'Bob', '3': 'Carol' };
const ADA: Viewer = { id: 1, role: 'ADMIN', scopes: [] };
const BOB: Viewer = { id: 2, role: 'USER', scopes: [] };

let caches: GatewayCache[] = [];
afterEach(async () => {
  await Promise.all(caches.map((cache) => cache.close()));
  caches = [];
});

function newCache() {
  const cache = createGatewayCache({ ...DEFAULT_CACHE, evenWithoutInvalidation: true }, { logger: createLogger('test') });
  caches.push(cache);
  return cache;
}

/** The subgraph: answers each representation with its user, under the given Cache-Control. */
function usersSubgraph(cacheControl = 'max-age=60') {
  return stubCall((request): UpstreamResponse => ({
    data: { _entities: (request.variables.representations as { id: string }[]).map(({ id }) => ({ name: NAMES[id] })) },
    http: { status: 200, headers: new Headers({ 'cache-control': cacheControl }) },
  }));
}

function entitiesCall(cache: GatewayCache, ids: string[], options: { viewer?: Viewer; operation?: string } = {}): UpstreamRequest {
  const context = upstreamContext({ viewer: options.viewer ?? null });
  attachToRequest(context, cache);
  return upstreamRequest(entitiesQuery, {
    subgraph: 'users',
    variables: { representations: ids.map((id) => ({ __typename: 'User', id })) },
    incoming: incomingOperation(context, { schema, query: options.operation ?? '{ user(id: "1") { name } }' }).request,
  });
}

const idsAsked = (calls: UpstreamRequest[]) => calls.map((call) => (call.variables.representations as { id: string }[]).map(({ id }) => id));

describe('entityCache', () => {
  it('asks the subgraph only for the entities it does not hold, and answers in the order asked', async () => {
    const cache = newCache();
    const subgraph = usersSubgraph();
    const call = entityCache(subgraph.call);
    await call(entitiesCall(cache, ['1', '2']));
    const response = await call(entitiesCall(cache, ['2', '3']));
    expect(response.data).toEqual({ _entities: [{ name: 'Bob' }, { name: 'Carol' }] });
    expect(await call(entitiesCall(cache, ['3', '1']))).toMatchObject({ data: { _entities: [{ name: 'Carol' }, { name: 'Ada' }] } });
    expect(idsAsked(subgraph.calls)).toEqual([['1', '2'], ['3']]);
  });

  it('points error paths of the smaller fetch back into the whole one', async () => {
    const cache = newCache();
    const call = entityCache(usersSubgraph().call);
    await call(entitiesCall(cache, ['1']));
    const failing = stubCall(() => ({ data: { _entities: [null] }, errors: [{ message: 'gone', path: ['_entities', 0, 'name'] }] }));
    const response = await entityCache(failing.call)(entitiesCall(cache, ['1', '2']));
    expect(response.errors).toEqual([{ message: 'gone', path: ['_entities', 1, 'name'] }]);
    expect(response.data).toEqual({ _entities: [{ name: 'Ada' }, null] });
  });

  it('keeps a PRIVATE entity for its user alone', async () => {
    const cache = newCache();
    const subgraph = usersSubgraph('max-age=60, private');
    const call = entityCache(subgraph.call);
    await call(entitiesCall(cache, ['1'], { viewer: ADA }));
    await call(entitiesCall(cache, ['1'], { viewer: ADA }));
    await call(entitiesCall(cache, ['1'], { viewer: BOB }));
    await call(entitiesCall(cache, ['1']));
    expect(idsAsked(subgraph.calls)).toEqual([['1'], ['1'], ['1']]);
  });

  it('drops an entity when it is invalidated', async () => {
    const cache = newCache();
    const subgraph = usersSubgraph();
    const call = entityCache(subgraph.call);
    await call(entitiesCall(cache, ['1', '2']));
    await cache.store.invalidate(['User#2']);
    await call(entitiesCall(cache, ['1', '2']));
    expect(idsAsked(subgraph.calls)).toEqual([['1', '2'], ['2']]);
  });

  it("stands aside for a mutation's fetches, for an answer without max-age, and without a cache", async () => {
    const cache = newCache();
    const subgraph = usersSubgraph();
    const call = entityCache(subgraph.call);
    await call(entitiesCall(cache, ['1'], { operation: 'mutation { logOut }' }));
    await call(entitiesCall(cache, ['1'], { operation: 'mutation { logOut }' }));
    const uncacheable = usersSubgraph('no-store');
    await entityCache(uncacheable.call)(entitiesCall(cache, ['2']));
    await entityCache(uncacheable.call)(entitiesCall(cache, ['2']));
    const withoutCache = upstreamRequest(entitiesQuery, { variables: { representations: [{ __typename: 'User', id: '3' }] } });
    await call(withoutCache);
    expect(idsAsked(subgraph.calls)).toEqual([['1'], ['1'], ['3']]);
    expect(idsAsked(uncacheable.calls)).toEqual([['2'], ['2']]);
  });
});
