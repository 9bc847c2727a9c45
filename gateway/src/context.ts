// The context of each operation at the gateway: who asks (verified here first), their budget key,
// the operation's deadline, and what the upstream units forward to the subgraphs and collect
// from them.
import type { AccessTokenVerifier } from '#lib/service/auth.ts';
import type { GraphQLContextArgument } from '#lib/service/graphql-handler.ts';
import { SQL_DEBUG_HEADER, wantsSqlCounts } from '#lib/service/sql-debug.ts';
import type { LimitsContext } from './limits/plugin.ts';
import type { UpstreamContext } from './upstream/types.ts';

export interface GatewayContext extends LimitsContext, UpstreamContext {}

export interface ContextOptions {
  verifyAccessToken: AccessTokenVerifier;
  /** Time for each operation (the limits' operationTimeoutMs). */
  operationTimeoutMs: number;
  /** The subgraphs of the supergraph, each reported (0 when not called) when SQL counts are asked for. */
  subgraphNames: () => Iterable<string>;
}

export function gatewayContext(options: ContextOptions) {
  return async ({ req }: GraphQLContextArgument): Promise<GatewayContext> => {
    // Rejects a bad token here, before any subgraph is called: UNAUTHENTICATED with HTTP 401.
    const viewer = await options.verifyAccessToken(req.headers.authorization);
    return {
      viewer,
      clientIp: req.ip ?? 'unknown',
      deadline: AbortSignal.timeout(options.operationTimeoutMs),
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
      // Set by lib/service/http.ts on every request: the caller's when sane, else a new one.
      requestId: req.headers['x-request-id'] as string,
      debugSql: wantsSqlCounts(req.headers[SQL_DEBUG_HEADER]),
      sqlStatements: Object.fromEntries([...options.subgraphNames()].map((name) => [name, 0])),
    };
  };
}
