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
import { audienceOf, digest, parseEntry, type CacheContext, type CacheScope, type GatewayCache } from './gateway-cache.ts';
import { responseTags } from './tags.ts';

/** Response header: HIT when the response came from the response cache, MISS otherwise. */
const CACHE_STATUS_HEADER = 'x-cache';

interface ResponseEntry {
  data: Record<string, unknown>;
  maxAge: number;
  scope: CacheScope;
  storedAt: number;
}

export function responseCachePlugin(cache: GatewayCache): ApolloServerPlugin<CacheContext> {
  const { store, counting } = cache;
  return {
    async requestDidStart() {
      let lookup: { shared: string; own: string | null; sequence: number | null } | undefined;
      let hit = false;
      return {
        async didResolveOperation({ operation, overallCachePolicy }) {
          // Whatever the hints on a mutation's result type say, its answer is never cached.
          if (operation?.operation !== OperationTypeNode.QUERY) overallCachePolicy.restrict({ maxAge: 0 });
        },

        async responseForOperation(requestContext) {
          if (requestContext.operation.operation !== OperationTypeNode.QUERY || requestContext.contextValue.debugSql) return null;
          const { queryHash, operationName, request } = requestContext;
          const base = digest(`${queryHash}\n${operationName ?? ''}\n${JSON.stringify(request.variables ?? {})}`);
          const audience = audienceOf(requestContext.contextValue.viewer);
          const shared = `r:${base}:${audience.shared}`;
          const own = audience.own && `r:${base}:${audience.own}`;
          const { values, sequence } = await store.read(own ? [own, shared] : [shared]);
          lookup = { shared, own, sequence };
          const value = values.find((candidate) => candidate !== undefined);
          const entry = value === undefined ? undefined : (parseEntry(value) as ResponseEntry | undefined);
          if (!entry) {
            counting.count('response', 'misses');
            return null;
          }
          hit = true;
          counting.count('response', 'hits');
          requestContext.metrics.responseCacheHit = true;
          // The policy it was stored with, and its age: an HTTP cache downstream subtracts one from
          // the other, as RFC 9111 says.
          requestContext.overallCachePolicy.replace({ maxAge: entry.maxAge, scope: entry.scope });
          const age = Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000));
          return {
            http: { headers: new HeaderMap([['age', String(age)]]) },
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
