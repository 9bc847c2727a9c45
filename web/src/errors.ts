// What went wrong, said for a person: the API's errors carry `extensions.code` (see the table in
// docs/api.md), and the page branches on the code, never on the message.
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

export interface FriendlyError {
  title: string;
  detail: string;
  /** Where the reader can fix it, e.g. the sign-in page. */
  action?: { label: string; to: string };
  /** Messages for form fields, by input field name (`email` for `input.email`). */
  fieldErrors: Record<string, string>;
  code?: string;
}

interface ApiError {
  message: string;
  extensions?: Record<string, unknown>;
}

/** The GraphQL errors inside an Apollo error: a result's errors, or a non-2xx body's. */
export function apiErrors(error: unknown): ApiError[] {
  if (CombinedGraphQLErrors.is(error)) return error.errors as ApiError[];
  if (ServerError.is(error)) {
    // A non-2xx answer in plain application/json (a proxy, or a limit applied before GraphQL).
    try {
      const body = JSON.parse(error.bodyText) as { errors?: ApiError[] };
      if (Array.isArray(body.errors)) return body.errors;
    } catch {
      // not JSON: described by its status below
    }
  }
  return [];
}

function signInAction(): FriendlyError['action'] {
  const here = typeof location === 'undefined' ? '/' : location.pathname + location.search;
  return { label: 'Log in', to: `/login?next=${encodeURIComponent(here)}` };
}

function fieldErrorsOf(errors: ApiError[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const error of errors) {
    const list = error.extensions?.fieldErrors;
    if (!Array.isArray(list)) continue;
    for (const entry of list as { field?: unknown; message?: unknown }[]) {
      if (typeof entry.field !== 'string' || typeof entry.message !== 'string') continue;
      fields[entry.field.replace(/^input\./, '')] ??= entry.message;
    }
  }
  return fields;
}

function retryAfter(first: ApiError | undefined): string {
  const seconds = Number(first?.extensions?.retryAfterSeconds);
  return Number.isFinite(seconds) && seconds > 0
    ? `Please wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`
    : 'Please wait a moment and try again.';
}

export function describeError(error: unknown): FriendlyError {
  const errors = apiErrors(error);
  const first = errors[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : undefined;
  const message = first?.message ?? '';
  const fieldErrors = fieldErrorsOf(errors);
  const friendly = (title: string, detail: string, action?: FriendlyError['action']): FriendlyError => ({
    title,
    detail,
    action,
    fieldErrors,
    code,
  });

  switch (code) {
    case 'UNAUTHENTICATED':
      return friendly('Please log in', 'You need to be signed in to do that.', signInAction());
    case 'FORBIDDEN':
      return friendly('Not allowed', 'Your account may not see or change this.');
    case 'BAD_USER_INPUT':
      return Object.keys(fieldErrors).length
        ? friendly('Please check the form', 'Some fields need another value.')
        : friendly('Please check what you entered', message);
    case 'NOT_FOUND':
      return friendly('Not found', 'It does not exist, or it was deleted.');
    case 'OUT_OF_STOCK':
      return friendly('Out of stock', message || 'There are not enough units left.');
    case 'CONFLICT':
      return friendly('Already done', message);
    case 'FAILED_PRECONDITION':
      return friendly('Not possible now', message);
    case 'ORDER_EXPIRED':
      return friendly('Order expired', message);
    case 'RATE_LIMITED':
      return friendly('Too many requests', retryAfter(first));
    case 'QUERY_TOO_COMPLEX':
    case 'QUERY_TOO_DEEP':
    case 'TOO_MANY_ALIASES':
    case 'TOO_MANY_DIRECTIVES':
      return friendly('This page asked for too much at once', 'The server refused the request as too large. Please report it.');
  }
  if (ServerError.is(error)) {
    if (error.statusCode === 429) return friendly('Too many requests', retryAfter(first));
    if (error.statusCode >= 500) return friendly('The server had a problem', 'Please try again in a moment.');
    return friendly('The request failed', `The server answered ${error.statusCode}.`);
  }
  if (code === 'INTERNAL_SERVER_ERROR' || (code === undefined && errors.length > 0)) {
    return friendly('The server had a problem', 'Please try again in a moment.');
  }
  if (errors.length) return friendly('Something went wrong', message);
  // fetch rejects with a TypeError when the server cannot be reached at all.
  if (error instanceof TypeError) {
    return friendly('Cannot reach the server', 'Check your connection, then try again.');
  }
  return friendly('Something went wrong', error instanceof Error ? error.message : String(error));
}
