// What a subgraph's answer tells the client's operation besides its data: how long it may be
// cached (its Cache-Control restricts the operation's cache policy, as Apollo Gateway does), the
// cookie it set (the refresh token, passed back to the client), and, when the client asked with
// `x-debug-sql: 1`, the SQL statements it ran (added up per subgraph in `extensions.sqlStatements`).
// The unit gathers them into the operation's context; the plugin writes them into the response.
// No options.
import type { ApolloServerPlugin } from '@apollo/server';
import { policyFromCacheControl } from '../cache/gateway-cache.ts';
import type { UpstreamContext, UpstreamUnit } from './types.ts';

export const collectResponse: UpstreamUnit = (next) => async (request) => {
  const response = await next(request);
  const { incoming, subgraph } = request;
  if (!incoming) return response;
  const headers = response.http?.headers;
  // No max-age from the subgraph: the whole operation is not cacheable.
  incoming.overallCachePolicy.restrict(policyFromCacheControl(headers?.get('cache-control')) ?? { maxAge: 0 });
  const context = incoming.context;
  const setCookie = headers?.get('set-cookie');
  if (setCookie) context.setCookie = setCookie;
  const statements: unknown = response.extensions?.sqlStatements;
  if (context.debugSql && typeof statements === 'number') context.sqlStatements[subgraph] = (context.sqlStatements[subgraph] ?? 0) + statements;
  return response;
};

export const subgraphResponsePlugin: ApolloServerPlugin<UpstreamContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (contextValue.setCookie) response.http.headers.set('set-cookie', contextValue.setCookie);
        if (!contextValue.debugSql || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, sqlStatements: contextValue.sqlStatements };
      },
    };
  },
};
