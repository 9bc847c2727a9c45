// Subgraph calls for in-process tests of the gateway's upstream units: a request as the query plan
// would make it, the client's operation it serves (its context, operation and cache policy), and
// a stand-in for the units below that records what reached it.
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { buildSchema, Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { Headers } from 'undici';
import type { SubgraphCall, UpstreamContext, UpstreamRequest, UpstreamResponse } from '../gateway/src/upstream/types.ts';

export function upstreamContext(overrides: Partial<UpstreamContext> = {}): UpstreamContext {
  return { viewer: null, deadline: new AbortController().signal, requestId: 'req-1', debugSql: false, sqlStatements: {}, ...overrides };
}

/** The client's operation: what the units read of it, and the cache hints they gave it. */
export interface Incoming {
  request: GatewayGraphQLRequestContext<UpstreamContext>;
  hints: { maxAge?: number; scope?: string }[];
}

export function incomingOperation(context: UpstreamContext, options: { query?: string; schema?: GraphQLSchema } = {}): Incoming {
  const document = parse(options.query ?? '{ __typename }');
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const hints: Incoming['hints'] = [];
  const request = {
    context,
    document,
    operation,
    schema: options.schema ?? buildSchema('type Query { a: Int }'),
    overallCachePolicy: { restrict: (hint: Incoming['hints'][number]) => hints.push(hint) },
  } as unknown as GatewayGraphQLRequestContext<UpstreamContext>;
  return { request, hints };
}

/** A call to `subgraph` (default `posts`) sending `query`, for the client's operation when `incoming` is given. */
export function upstreamRequest(query: string, overrides: Partial<UpstreamRequest> = {}): UpstreamRequest {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  return {
    subgraph: 'posts',
    url: 'http://posts.invalid/graphql',
    query,
    document,
    operation: operation.operation,
    variables: {},
    headers: new Headers({ 'content-type': 'application/json' }),
    ...overrides,
  };
}

/** The units below, played by `answer`: every request that reached it is kept in `calls`. */
export function stubCall(answer: (request: UpstreamRequest, attempt: number) => Promise<UpstreamResponse> | UpstreamResponse = () => ({ data: {} })) {
  const calls: UpstreamRequest[] = [];
  const call: SubgraphCall = async (request) => {
    calls.push(request);
    return answer(request, calls.length);
  };
  return { call, calls };
}

/** What undici throws when a connection breaks: no answer at all. */
export function networkError(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
}
