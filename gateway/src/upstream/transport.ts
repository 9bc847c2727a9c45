// The bottom of the pipeline: the subgraph operation POSTed as JSON over undici, through one
// keep-alive connection pool, obeying the request's signal (connecting, waiting and reading the
// body alike). An HTTP error or a body that is not JSON becomes a GraphQL error, as Apollo
// Gateway's RemoteGraphQLDataSource makes it (`500: Internal Server Error`, with the response in
// `extensions.response`; UNAUTHENTICATED for 401, FORBIDDEN for 403): the subgraph answered, so
// the units above neither retry it nor count it as an outage. No answer at all (refused, reset,
// aborted) is thrown as the network error it is.
import { GraphQLError, type GraphQLErrorExtensions } from 'graphql';
import { Agent, fetch, type Response } from 'undici';
import type { SubgraphCall } from './types.ts';

export interface TransportOptions {
  /** Connections kept per subgraph origin (default 128). */
  connections: number;
  /** How long an idle connection is kept for the next call (default 30 s). */
  keepAliveTimeoutMs: number;
}

const DEFAULT_TRANSPORT: TransportOptions = { connections: 128, keepAliveTimeoutMs: 30_000 };

export interface Transport {
  call: SubgraphCall;
  /** Closes the pool's connections. */
  close(): Promise<void>;
}

async function bodyOf(response: Response): Promise<unknown> {
  const type = response.headers.get('content-type');
  return type?.startsWith('application/json') || type?.startsWith('application/graphql-response+json') ? response.json() : response.text();
}

function httpError(response: Response, body: unknown): GraphQLError {
  const extensions: GraphQLErrorExtensions = {
    response: { url: response.url, status: response.status, statusText: response.statusText, body },
  };
  if (response.status === 401) extensions.code = 'UNAUTHENTICATED';
  else if (response.status === 403) extensions.code = 'FORBIDDEN';
  return new GraphQLError(`${response.status}: ${response.statusText}`, { extensions });
}

/** The HTTP status of an error the transport made from a subgraph's HTTP error. */
export function httpStatusOf(error: GraphQLError): number | undefined {
  const response = error.extensions.response as { status?: unknown } | undefined;
  return typeof response?.status === 'number' ? response.status : undefined;
}

export function undiciTransport(options: Partial<TransportOptions> = {}): Transport {
  const { connections, keepAliveTimeoutMs } = { ...DEFAULT_TRANSPORT, ...options };
  const pool = new Agent({ keepAliveTimeout: keepAliveTimeoutMs, connections });
  return {
    call: async ({ url, query, variables, operationName, headers, signal }) => {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables, operationName }),
        dispatcher: pool,
        signal,
      });
      const body = await bodyOf(response);
      if (!response.ok) throw httpError(response, body);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new GraphQLError(`Expected JSON response body, but received: ${String(body)}`);
      }
      return { ...body, http: { status: response.status, headers: response.headers } };
    },
    close: () => pool.close(),
  };
}
