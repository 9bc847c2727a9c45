// helmet's security headers on every response of every service (HSTS, nosniff, no framing, no
// referrer, cross-origin isolation of the responses, ...).
import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';

// Everything the services serve is JSON, which needs no scripts, styles, images or frames: the
// policy allows none, and no page may frame a response (OWASP's advice for APIs).
const forJson = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
});

// Apollo Sandbox's landing page brings its own policy, in a meta tag: Apollo's CDN and a nonce
// made for each page. A header would narrow it to the JSON policy above, a blank page.
const forLandingPage = helmet({ contentSecurityPolicy: false, xFrameOptions: { action: 'deny' } });

// The gateway's offline explorer (development only) runs GraphiQL from its own origin: its scripts,
// its editor's web workers and fonts, and calls to /graphql; Monaco, its editor, adds <style>
// elements at run time. Nothing from anywhere else, and nothing may frame it.
export const explorerSecurityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  xFrameOptions: { action: 'deny' },
});

/** What Apollo Server answers with its landing page: a GET of /graphql from a browser. */
function asksForLandingPage(request: Request): boolean {
  return (
    request.method === 'GET' &&
    request.path === '/graphql' &&
    request.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html'
  );
}

/** Security headers; `landingPage` when this service serves Apollo Sandbox (outside production). */
export function securityHeaders({ landingPage }: { landingPage: boolean }): RequestHandler {
  if (!landingPage) return forJson;
  return (request, response, next) => (asksForLandingPage(request) ? forLandingPage : forJson)(request, response, next);
}
