// The shape of the upstream pipeline: a subgraph call is a function from a request to a response,
// and each concern (headers, deadline, retries, circuit breaker, caches, what the answer carries)
// is a unit that wraps the call below it. gateway.ts composes them in order; the transport
// (transport.ts) is at the bottom, the adapter to Apollo Gateway (data-source.ts) at the top.
import type { GraphQLRequestContext } from '@apollo/server';
import type { GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { DocumentNode, OperationTypeNode } from 'graphql';
import type { Headers } from 'undici';
import type { CacheContext } from '../cache/gateway-cache.ts';

/** What the units read from (and write to) the context of the client's operation. */
export interface UpstreamContext extends CacheContext {
  /** Aborts when the operation's time is up (OPERATION_TIMEOUT_MS): its subgraph calls stop then. */
  deadline: AbortSignal;
  /** Verified by the gateway first; forwarded as is, for each subgraph to verify again. */
  authorization?: string;
  cookie?: string;
  requestId: string;
  /** The client asked for SQL statement counts (`x-debug-sql: 1`, outside production). */
  debugSql: boolean;
  /** A cookie a subgraph set (the refresh token), passed on to the client. */
  setCookie?: string;
  /** Statements each subgraph reported for this operation. */
  sqlStatements: Record<string, number>;
}

/** The client's operation, as Apollo Gateway hands it over. The gateway interface types its cache
 * policy as `any`: it is Apollo Server's. */
type IncomingOperation = Omit<GatewayGraphQLRequestContext<UpstreamContext>, 'overallCachePolicy'> &
  Pick<GraphQLRequestContext<UpstreamContext>, 'overallCachePolicy'>;

/** One call to one subgraph, as the query plan asks for it. */
export interface UpstreamRequest {
  /** The subgraph's name in the supergraph. */
  subgraph: string;
  url: string;
  /** The subgraph operation as sent, and parsed (once per distinct text, see data-source.ts). */
  query: string;
  document: DocumentNode;
  /** Its kind, from the parsed document: only a query may be sent twice. */
  operation: OperationTypeNode;
  operationName?: string;
  variables: Record<string, unknown>;
  /** Sent with the call: only what the units put here reaches the subgraph. */
  headers: Headers;
  /** Ends the call: the operation's deadline, joined per attempt by the fetch timeout. */
  signal?: AbortSignal;
  /** The client's operation this call serves; absent for the gateway's own calls (health checks). */
  incoming?: IncomingOperation;
}

/** The subgraph's GraphQL response, with the HTTP status and headers it came with (none when a unit answered). */
export type UpstreamResponse = GatewayGraphQLResponse;

export type SubgraphCall = (request: UpstreamRequest) => Promise<UpstreamResponse>;

/** One concern around the call: it may change the request, answer itself, or look at the response. */
export type UpstreamUnit = (next: SubgraphCall) => SubgraphCall;

/** The units in order, the first outermost, around the transport. */
export function compose(units: readonly UpstreamUnit[], transport: SubgraphCall): SubgraphCall {
  return units.reduceRight<SubgraphCall>((next, unit) => unit(next), transport);
}
