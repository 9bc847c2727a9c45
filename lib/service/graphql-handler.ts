// Apollo Server on the Express route of /graphql, as @as-integrations/express5 mounts it, less
// the per-request work that buys nothing there: a POST's answer is written straight to the socket
// instead of through Express's res.send, which hashes every body for an ETag and checks its
// freshness, although a POST is never revalidated. A GET's answer (a persisted query, cacheable
// by browsers and proxies) still goes through res.send, with its ETag.
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';

/** What a service's context function receives for each GraphQL request. */
export interface GraphQLContextArgument {
  req: Request;
  res: Response;
}

function headerMapOf(request: Request): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** The route's last handler: runs the parsed request (express.json's `body`) through Apollo Server. */
export function graphqlHandler<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  context: (argument: GraphQLContextArgument) => Promise<Context>,
): RequestHandler {
  apollo.assertStarted('graphqlHandler()');
  return async (req, res) => {
    const queryStart = req.url.indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: req.method.toUpperCase(),
      headers: headerMapOf(req),
      search: queryStart === -1 ? '' : req.url.slice(queryStart),
      body: req.body as unknown,
    };
    const answer = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context({ req, res }) });
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') {
      if (req.method === 'GET') res.send(answer.body.string);
      else res.setHeader('content-length', Buffer.byteLength(answer.body.string)).end(answer.body.string);
      return;
    }
    // Incremental delivery (@defer): each part as it comes.
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
