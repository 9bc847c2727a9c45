// Apollo Gateway's side of the pipeline: one data source per subgraph (ApolloGateway's
// `buildService`), whose `process` turns the query plan's fetch into an UpstreamRequest and
// hands it to the composed units. It replaces RemoteGraphQLDataSource, whose hooks
// (willSendRequest, didReceiveResponse, a fetcher without the operation) cannot carry one
// signal through the retries nor tell a query from a mutation without reading text.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, type DocumentNode, type OperationTypeNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { Headers } from 'undici';
import type { SubgraphCall, UpstreamContext } from './types.ts';

interface SubgraphOperation {
  document: DocumentNode;
  operation: OperationTypeNode;
}

// Fetch texts come from query plans, which are cached: a few hundred distinct ones, each parsed once.
const parsed = new LRUCache<string, SubgraphOperation>({ max: 2_000 });

function subgraphOperation(query: string): SubgraphOperation {
  let entry = parsed.get(query);
  if (!entry) {
    const document = parse(query);
    const definition = document.definitions.find((candidate) => candidate.kind === Kind.OPERATION_DEFINITION);
    if (definition?.kind !== Kind.OPERATION_DEFINITION) throw new Error('A subgraph fetch without an operation');
    entry = { document, operation: definition.operation };
    parsed.set(query, entry);
  }
  return entry;
}

export class UpstreamDataSource implements GraphQLDataSource<UpstreamContext> {
  constructor(
    private readonly subgraph: string,
    private readonly url: string,
    private readonly call: SubgraphCall,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<UpstreamContext>): Promise<GatewayGraphQLResponse> {
    const { query, variables, operationName, http } = options.request;
    if (!query) throw new Error('Missing query');
    // What the gateway itself adds (a trace request for Apollo Studio); the client's headers are not here.
    const headers = new Headers(http?.headers ? [...http.headers] : []);
    headers.set('content-type', 'application/json');
    return this.call({
      subgraph: this.subgraph,
      url: this.url,
      query,
      ...subgraphOperation(query),
      operationName,
      variables: variables ?? {},
      headers,
      incoming: 'incomingRequestContext' in options ? options.incomingRequestContext : undefined,
    });
  }
}
