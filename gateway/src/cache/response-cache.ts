// Whole query responses, cached at the gateway for as long as the subgraphs' hints allow (the
// operation's cache policy, which Apollo Server also sends as Cache-Control). Keyed by the query,
// its operation name and variables, and by who may see it: PRIVATE responses by user, PUBLIC
// ones shared (anonymous and signed-in apart). Tagged with the entities they hold, so that a
// mutation drops exactly the responses it changes (see tags.ts and lib/cache-invalidation.ts).
//
// Written here rather than with @apollo/server-plugin-response-cache: that plugin can only key
// by what is known before execution, so invalidating one post would mean dropping every response
// with any post in it; it also has no way to say HIT or MISS, nor to bypass a failing store.
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import type { Viewer } from '#lib/service/auth.ts';
import { audienceOf, digest, parseEntry, type CacheContext, type CacheScope, type GatewayCache } from './gateway-cache.ts';
import { responseTags } from './tags.ts';

/** Response header: HIT when the response came from the response cache, MISS otherwise. */
export const CACHE_STATUS_HEADER = 'x-cache';

export interface ResponseEntry {
  data: Record<string, unknown>;
  maxAge: number;
  scope: CacheScope;
  storedAt: number;
}

/** What a response's keys are made of, before the audience: the document (its hash), the operation and the variables. */
export function responseKeyBase(
  queryHash: string | undefined,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
): string {
  return digest(`${queryHash}\n${operationName ?? ''}\n${JSON.stringify(variables ?? {})}`);
}

export interface ResponseLookup {
  entry: ResponseEntry | undefined;
  /** The key a PUBLIC answer is kept under for this audience, and a PRIVATE one (none when anonymous). */
  shared: string;
  own: string | null;
  /** The store's invalidation sequence when read: a write after an invalidation is dropped (see store.ts). */
  sequence: number | null;
}

/** The response kept for this viewer: their own PRIVATE one first, else the PUBLIC one of their audience. */
export async function lookUpResponse(cache: GatewayCache, base: string, viewer: Viewer | null | undefined): Promise<ResponseLookup> {
  const audience = audienceOf(viewer);
  const shared = `r:${base}:${audience.shared}`;
  const own = audience.own && `r:${base}:${audience.own}`;
  const { values, sequence } = await cache.store.read(own ? [own, shared] : [shared]);
  const value = values.find((candidate) => candidate !== undefined);
  const entry = value === undefined ? undefined : (parseEntry(value) as ResponseEntry | undefined);
  return { entry, shared, own, sequence };
}

/** Its age in whole seconds: an HTTP cache downstream subtracts it from max-age, as RFC 9111 says. */
export function ageOf(entry: ResponseEntry): number {
  return Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000));
}

export function responseCachePlugin(cache: GatewayCache): ApolloServerPlugin<CacheContext> {
  const { store, counting } = cache;
  return {
    async requestDidStart() {
      let lookup: ResponseLookup | undefined;
      let hit = false;
      return {
        async didResolveOperation({ operation, overallCachePolicy }) {
          // Whatever the hints on a mutation's result type say, its answer is never cached.
          if (operation?.operation !== OperationTypeNode.QUERY) overallCachePolicy.restrict({ maxAge: 0 });
        },

        async responseForOperation(requestContext) {
          if (requestContext.operation.operation !== OperationTypeNode.QUERY || requestContext.contextValue.debugSql) return null;
          const { queryHash, operationName, request } = requestContext;
          lookup = await lookUpResponse(cache, responseKeyBase(queryHash, operationName, request.variables), requestContext.contextValue.viewer);
          const { entry } = lookup;
          counting.count('response', entry ? 'hits' : 'misses');
          if (!entry) return null;
          hit = true;
          requestContext.metrics.responseCacheHit = true;
          // The policy it was stored with, and its age.
          requestContext.overallCachePolicy.replace({ maxAge: entry.maxAge, scope: entry.scope });
          return {
            http: { headers: new HeaderMap([['age', String(ageOf(entry))]]) },
            body: { kind: 'single', singleResult: { data: entry.data } },
          };
        },

        async willSendResponse({ response, operation, overallCachePolicy, document, operationName, schema }) {
          if (operation?.operation !== OperationTypeNode.QUERY) return;
          response.http.headers.set(CACHE_STATUS_HEADER, hit ? 'HIT' : 'MISS');
          if (hit || lookup?.sequence == null || !document || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors?.length || !result.data) return;
          const policy = overallCachePolicy.policyIfCacheable();
          if (!policy) return;
          // PRIVATE data of an anonymous request has nobody to be keyed by: not cached.
          const key = policy.scope === 'PRIVATE' ? lookup.own : lookup.shared;
          if (!key) return;
          const tags = responseTags(schema, document, operationName, result.data);
          if (!tags) return;
          const entry: ResponseEntry = { data: result.data, maxAge: policy.maxAge, scope: policy.scope, storedAt: Date.now() };
          counting.count('response', 'writes');
          // Not awaited: the store runs its commands in order, so a later read sees this write.
          void store.write([{ key, value: JSON.stringify(entry), ttlSeconds: policy.maxAge, tags }], lookup.sequence);
        },
      };
    },
  };
}
