// Which of the client's headers reach the subgraphs: an explicit allow-list, each value taken
// from the operation's context (where the gateway already checked it), never copied from the
// raw request. Anything else the client sends (API keys, X-Forwarded-For, ...) stays at the gateway.
import { Headers } from 'undici';
import { SQL_DEBUG_HEADER } from '#lib/service/sql-debug.ts';
import type { UpstreamContext, UpstreamUnit } from './types.ts';

/** A forwarded header: its value for this operation, or undefined to send none. */
export type ForwardedHeaders = Readonly<Record<string, (context: UpstreamContext) => string | undefined>>;

/** The default allow-list: credentials for the subgraphs to verify again, the request id, the SQL debug switch. */
const FORWARDED_HEADERS: ForwardedHeaders = {
  authorization: (context) => context.authorization,
  cookie: (context) => context.cookie,
  // The gateway's id for the request: the client's when it is a sane one, else a new one.
  'x-request-id': (context) => context.requestId,
  // Only when the client may have counts (never in production: see lib/service/sql-debug.ts).
  [SQL_DEBUG_HEADER]: (context) => (context.debugSql ? '1' : undefined),
};

export function propagateHeaders(forwarded: ForwardedHeaders = FORWARDED_HEADERS): UpstreamUnit {
  const entries = Object.entries(forwarded);
  return (next) => (request) => {
    const context = request.incoming?.context;
    if (!context) return next(request);
    const headers = new Headers(request.headers);
    for (const [name, valueOf] of entries) {
      const value = valueOf(context);
      if (value !== undefined) headers.set(name, value);
    }
    return next({ ...request, headers });
  };
}
