// What a request for a path no route serves gets from every service: GraphQL-shaped JSON, as any
// other error before GraphQL runs, rather than Express's HTML page.
import type { RequestHandler } from 'express';
import { ErrorCode } from './errors.ts';

export const routeNotFound: RequestHandler = (request, response) => {
  response.status(404).json({
    errors: [
      {
        message: `Nothing is served at ${request.method} ${request.path.slice(0, 200)}. The GraphQL API is at POST /graphql.`,
        extensions: { code: ErrorCode.NotFound },
      },
    ],
  });
};
