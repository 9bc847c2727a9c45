// What the three services' REST endpoints share: JSON errors with the API's error codes,
// cursor pages (the same keyset cursors as the GraphQL connections), validators (ETag and
// If-None-Match → 304), Cache-Control, and the SQL statement count of a request outside
// production, so that a benchmark can compare REST and GraphQL on the same counter.
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { AccessTokenVerifier, Viewer } from '#lib/service/auth.ts';
import { ErrorCode } from '#lib/service/errors.ts';
import { parseId } from './ids.ts';
import { createLogger, type Logger } from '#lib/service/logger.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '#lib/service/page-size.ts';
import { decodeCursor, encodeCursor, type Page, type Position } from './pagination.ts';
import { countStatements, type StatementCounter } from './sql-statements.ts';
import { SQL_DEBUG_HEADER, wantsSqlCounts } from '#lib/service/sql-debug.ts';

// Made on first use: importing this module reads no environment (an entry point checks it first).
let logger: Logger | undefined;

/** The response header carrying the statement count, when the request sent `x-debug-sql: 1`. */
const SQL_STATEMENTS_HEADER = 'x-sql-statements';

/** What a service's REST routes need: its database and the verifier of access tokens. */
export interface RestServices<Database> {
  db: Database;
  verifyAccessToken: AccessTokenVerifier;
}

/** A failure with its HTTP status; the body is `{ "error": { "code", "message", ... } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: (typeof ErrorCode)[keyof typeof ErrorCode],
    message: string,
    /** More members of the error object, e.g. `{ parameter: 'limit' }`. */
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function notFound(what: string, id: string | number): HttpError {
  return new HttpError(404, ErrorCode.NotFound, `There is no ${what} with id "${id}".`);
}

function badParameter(parameter: string, message: string): HttpError {
  return new HttpError(400, ErrorCode.BadUserInput, message, { parameter });
}

/**
 * How a response may be cached. Public resources get a strong ETag (a hash of the body, so a
 * revalidation still runs the query but sends no body when nothing changed) and
 * `public, max-age`; private ones `private, no-store` and no validator.
 */
export type Caching = { scope: 'public'; maxAgeSeconds: number } | { scope: 'private' };

/**
 * Public with this max-age. Each resource uses the max-age its GraphQL type has in the subgraph's
 * `@cacheControl` hints (the lowest of its fields), so that both APIs promise the same freshness.
 */
export function publicFor(maxAgeSeconds: number): Caching {
  return { scope: 'public', maxAgeSeconds };
}

/** Lists: the hint of every connection field (`users`, `posts`, `comments`, ...). */
export const LIST_CACHING = publicFor(60);
export const PRIVATE: Caching = { scope: 'private' };

export interface Reply {
  body: unknown;
  caching: Caching;
  /** Request headers the body depends on (`Authorization` when private fields show for some callers). */
  vary?: string;
  /** The URL of the next page, sent as `Link: <...>; rel="next"`. */
  next?: string | null;
}

export interface RestRequest {
  request: Request;
  /** Who is asking: null when anonymous; a bad token never gets this far (401). */
  viewer: Viewer | null;
}

/**
 * Wraps a GET handler: verifies the bearer token (a bad one is a 401, never anonymous, as on
 * /graphql), counts the SQL statements when asked, and sends the reply or the error as JSON.
 */
export function restRoute(verifyAccessToken: AccessTokenVerifier, handle: (scope: RestRequest) => Promise<Reply>): RequestHandler {
  return async (request, response) => {
    const run = async () => handle({ request, viewer: await verifyAccessToken(request.headers.authorization) });
    const counter: StatementCounter = { count: 0 };
    const counted = wantsSqlCounts(request.headers[SQL_DEBUG_HEADER]);
    let reply: Reply;
    try {
      reply = await (counted ? countStatements(counter, run) : run());
    } catch (error) {
      let failure = asHttpError(error);
      if (!failure) {
        // A bug or a broken dependency: logged with its stack; the client learns nothing more.
        (logger ??= createLogger('rest')).error({ err: error, method: request.method, url: request.originalUrl }, 'REST request failed');
        failure = new HttpError(500, ErrorCode.InternalServerError, 'Internal server error');
      }
      if (counted) response.set(SQL_STATEMENTS_HEADER, String(counter.count));
      return sendError(response, failure);
    }
    if (counted) response.set(SQL_STATEMENTS_HEADER, String(counter.count));
    sendReply(request, response, reply);
  };
}

function asHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  // The token verifier and the authorization rules speak GraphQL; REST gives them their statuses.
  if (!(error instanceof GraphQLError)) return null;
  if (error.extensions.code === ErrorCode.Forbidden) return new HttpError(403, ErrorCode.Forbidden, error.message);
  if (error.extensions.code !== ErrorCode.Unauthenticated) return null;
  // RFC 6750: a token that was presented and is not valid (HTTP 401 already), or none at all.
  const presented = (error.extensions.http as { status?: number } | undefined)?.status === 401;
  return new HttpError(401, ErrorCode.Unauthenticated, error.message, {}, { 'WWW-Authenticate': presented ? 'Bearer error="invalid_token"' : 'Bearer' });
}

function writeJson(response: Response, status: number, json: string) {
  // `end`, not `send`: Express would add a weak ETag of its own to every body, private ones too.
  response
    .status(status)
    .set('Content-Type', 'application/json; charset=utf-8')
    .set('Content-Length', String(Buffer.byteLength(json)))
    .end(json);
}

function sendError(response: Response, error: HttpError) {
  response.set(error.headers).set('Cache-Control', 'no-store');
  writeJson(response, error.status, JSON.stringify({ error: { code: error.code, message: error.message, ...error.details } }));
}

/** A strong validator: the same body always gets the same tag. */
function etagOf(json: string): string {
  return `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
}

/** RFC 9110 §13.1.2: If-None-Match uses the weak comparison; `*` matches any current representation. */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

function sendReply(request: Request, response: Response, reply: Reply) {
  const json = JSON.stringify(reply.body);
  if (reply.vary) response.vary(reply.vary);
  if (reply.next) response.set('Link', `<${reply.next}>; rel="next"`);
  if (reply.caching.scope === 'private') {
    response.set('Cache-Control', 'private, no-store');
    return writeJson(response, 200, json);
  }
  const etag = etagOf(json);
  response.set('Cache-Control', `public, max-age=${reply.caching.maxAgeSeconds}`).set('ETag', etag);
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return response.status(304).end();
  writeJson(response, 200, json);
}

/** The database key behind a path id; 404 when no row can have it (ids are opaque: "abc" matches nothing). */
export function idParameter(request: Request, what: string, name = 'id'): number {
  const raw = String(request.params[name]);
  const id = parseId(raw);
  if (id === null) throw notFound(what, raw);
  return id;
}

function singleQueryValue(request: Request, name: string): string | undefined {
  const value = request.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badParameter(name, `"${name}" must be given once, as a plain value.`);
  return value;
}

/** `limit` (1 to 100, default 20) and `cursor` (opaque, from a previous page's `nextCursor`). */
export function pageParameters(request: Request): Page {
  const limit = singleQueryValue(request, 'limit');
  const cursor = singleQueryValue(request, 'cursor');
  let size = DEFAULT_PAGE_SIZE;
  if (limit !== undefined) {
    if (!/^[0-9]{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_PAGE_SIZE) {
      throw badParameter('limit', `"limit" must be an integer from 1 to ${MAX_PAGE_SIZE} (got "${limit}").`);
    }
    size = Number(limit);
  }
  if (cursor === undefined) return { size };
  const after = decodeCursor(cursor);
  if (!after) throw badParameter('cursor', '"cursor" is not a cursor returned by this API.');
  return { size, after };
}

/**
 * A page of a list from rows fetched with `take: size + 1` (the extra row only tells that more
 * follow): `{ items, nextCursor }`, and the next page's URL for the `Link` header.
 */
export function pageReply<Row extends Position>(
  request: Request,
  rows: Row[],
  page: Page,
  represent: (row: Row) => unknown,
  caching: Caching = LIST_CACHING,
): Reply {
  const items = rows.slice(0, page.size);
  const last = items.at(-1);
  const nextCursor = rows.length > page.size && last ? encodeCursor(last) : null;
  const next = nextCursor && `${request.baseUrl}${request.path}?${new URLSearchParams({ limit: String(page.size), cursor: nextCursor }).toString()}`;
  return { body: { items: items.map(represent), nextCursor }, caching, next };
}
