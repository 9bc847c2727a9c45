// A subgraph that could not answer (connection refused or broken, every attempt timed out) costs
// only its own fields: they are null with SUBGRAPH_UNAVAILABLE naming it, and the rest of the
// response is served. The cause goes to the log, never to the client (it holds addresses).
// What is already a GraphQL error passes as it is: the subgraph's own HTTP errors, an open
// circuit. A call the operation's deadline ended is the deadline's to report (deadline.ts).
import { GraphQLError } from 'graphql';
import { domainError, ErrorCode } from '#lib/service/errors.ts';
import type { Logger } from '#lib/service/logger.ts';
import type { UpstreamUnit } from './types.ts';

export function subgraphUnavailable(subgraph: string): GraphQLError {
  const error = domainError(ErrorCode.SubgraphUnavailable, `The ${subgraph} service is unavailable; its fields are null.`);
  error.extensions.serviceName = subgraph;
  return error;
}

export function unavailable(logger: Logger): UpstreamUnit {
  return (next) => async (request) => {
    try {
      return await next(request);
    } catch (error) {
      if (error instanceof GraphQLError || request.signal?.aborted) throw error;
      logger.warn({ subgraph: request.subgraph, err: error }, `${request.subgraph} unavailable`);
      throw subgraphUnavailable(request.subgraph);
    }
  };
}
