// The gateway's caches, as the gateway uses them: plugins for Apollo Server, and the entity cache
// for the upstream pipeline (upstream/entity-cache.ts). What is cached where and for how long: docs/caching.md.
import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import type { Logger } from '#lib/service/logger.ts';
import { SUBGRAPHS } from '../../../subgraphs/manifest.ts';
import { attachToRequest, createGatewayCache, type CacheContext, type GatewayCache } from './gateway-cache.ts';
import { responseCachePlugin } from './response-cache.ts';
import type { CacheSettings } from './settings.ts';

export { throughEntityCache } from './entity-cache.ts';
export { cacheSettingsFromEnv, DEFAULT_CACHE, type CacheSettings } from './settings.ts';
export { cacheStats } from './stats.ts';

/**
 * Query responses carry a Cache-Control computed from the hints (Apollo Server's cache control
 * plugin, always on). What they say depends on who asks, so a browser or CDN that keeps a GET
 * response must key it by the Authorization header too: a PRIVATE answer kept in a shared
 * computer's browser must not be shown to the next person who signs in.
 */
const varyByAuthorization: ApolloServerPlugin<CacheContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, operation }) {
        // Set whole: the Express integration replaces the Vary that CORS may have set.
        if (operation?.operation === OperationTypeNode.QUERY) response.http.headers.set('vary', 'Origin, Authorization');
      },
    };
  },
};

/** The plugins that run the caches (only the Vary header when caching is off). */
export interface CacheDependencies {
  redisUrl?: string;
  logger: Logger;
  /** Subgraphs running in this process: their mutations reach an in-memory cache without Redis. */
  subgraphsInProcess?: readonly string[];
}

export function cachePlugins(settings: CacheSettings | false, deps: CacheDependencies): ApolloServerPlugin<CacheContext>[] {
  return gatewayCaches(settings, deps).plugins;
}

/** The plugins, and the cache they run when there is one (for what serves its hits outside Apollo Server). */
export function gatewayCaches(settings: CacheSettings | false, deps: CacheDependencies): { plugins: ApolloServerPlugin<CacheContext>[]; cache?: GatewayCache } {
  if (!settings || (!settings.responses && !settings.entities)) return { plugins: [varyByAuthorization] };
  const unheard = SUBGRAPHS.map(({ name }) => name).filter((name) => !deps.subgraphsInProcess?.includes(name));
  if (settings.store === 'memory' && unheard.length && !settings.evenWithoutInvalidation) {
    deps.logger.warn(
      `Caches off: without Redis, the mutations of ${unheard.join(', ')} (not in this process) could not invalidate them. ` +
        'Set REDIS_URL on the gateway and the subgraphs to cache (or CACHE=on to cache anyway, entries then living out their TTL).',
    );
    return { plugins: [varyByAuthorization] };
  }
  const cache = createGatewayCache(settings, deps);
  const lifecycle: ApolloServerPlugin<CacheContext> = {
    async serverWillStart() {
      // Before the first request: a cache still connecting would be bypassed for a while.
      await cache.store.connected();
      return {
        async serverWillStop() {
          await cache.close();
        },
      };
    },
    async requestDidStart({ contextValue }) {
      if (settings.entities && !contextValue.debugSql) attachToRequest(contextValue, cache);
    },
  };
  return { plugins: [varyByAuthorization, lifecycle, ...(settings.responses ? [responseCachePlugin(cache)] : [])], cache };
}
