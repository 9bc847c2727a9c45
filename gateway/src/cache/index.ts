// The gateway's caches, as the gateway uses them: plugins for Apollo Server, and the entity cache
// for its subgraph data sources. What is cached where and for how long: README, "Caching".
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../../../lib/logger.ts';
import { attachToRequest, createGatewayCache, type CacheContext } from './gateway-cache.ts';
import { responseCachePlugin } from './response-cache.ts';
import type { CacheSettings } from './settings.ts';

export { processThroughEntityCache } from './entity-cache.ts';
export { CACHE_STATUS_HEADER } from './response-cache.ts';
export { cacheSettingsFromEnv, DEFAULT_CACHE, type CacheSettings } from './settings.ts';
export { cacheStats, type CacheStats } from './stats.ts';

/** The plugins that run the caches; none when caching is off. */
export function cachePlugins(settings: CacheSettings | false, deps: { redisUrl?: string; logger: Logger }): ApolloServerPlugin<CacheContext>[] {
  if (!settings || (!settings.responses && !settings.entities)) return [];
  const cache = createGatewayCache(settings, deps);
  const lifecycle: ApolloServerPlugin<CacheContext> = {
    async serverWillStart() {
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
  return [lifecycle, ...(settings.responses ? [responseCachePlugin(cache)] : [])];
}
