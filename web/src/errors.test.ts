// The friendly wording of the API's error codes, for those the browser tests cannot provoke.
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { describeError } from './errors.ts';

const graphQLErrors = (...errors: { message: string; extensions?: Record<string, unknown> }[]) => new CombinedGraphQLErrors({ errors });

describe('describeError', () => {
  it('names the fields of a BAD_USER_INPUT by their input name', () => {
    const error = graphQLErrors({
      message: 'Invalid input',
      extensions: {
        code: 'BAD_USER_INPUT',
        fieldErrors: [
          { field: 'input.email', message: 'must be an email address' },
          { field: 'input.password', message: 'must be at least 8 characters' },
        ],
      },
    });
    expect(describeError(error)).toMatchObject({
      title: 'Please check the form',
      fieldErrors: { email: 'must be an email address', password: 'must be at least 8 characters' },
    });
  });

  it('asks to log in on UNAUTHENTICATED, with a way there', () => {
    const friendly = describeError(graphQLErrors({ message: 'Sign in first', extensions: { code: 'UNAUTHENTICATED' } }));
    expect(friendly).toMatchObject({ title: 'Please log in', action: { label: 'Log in' } });
    expect(friendly.action?.to).toMatch(/^\/login\?next=/);
  });

  it('says how long to wait on RATE_LIMITED, in a GraphQL response or a plain JSON 429', () => {
    const limited = { message: 'Rate limit reached', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 3 } };
    expect(describeError(graphQLErrors(limited))).toMatchObject({ title: 'Too many requests', detail: 'Please wait 3 seconds and try again.' });
    const response = new Response(null, { status: 429 });
    const plain = new ServerError('429', { response, bodyText: JSON.stringify({ errors: [limited] }) });
    expect(describeError(plain)).toMatchObject({ title: 'Too many requests', detail: 'Please wait 3 seconds and try again.' });
    const bare = new ServerError('429', { response, bodyText: 'Too Many Requests' });
    expect(describeError(bare)).toMatchObject({ title: 'Too many requests', detail: 'Please wait a moment and try again.' });
  });

  it('words the query limits, FORBIDDEN and an unreachable server', () => {
    expect(describeError(graphQLErrors({ message: 'Query too deep', extensions: { code: 'QUERY_TOO_DEEP' } })).title).toBe(
      'This page asked for too much at once',
    );
    expect(describeError(graphQLErrors({ message: 'No', extensions: { code: 'FORBIDDEN' } })).title).toBe('Not allowed');
    expect(describeError(new TypeError('Failed to fetch')).title).toBe('Cannot reach the server');
  });

  it('says an order expired on ORDER_EXPIRED, with what the server said happened to it', () => {
    const message = 'This order expired before it was paid; its items are already back in stock.';
    expect(describeError(graphQLErrors({ message, extensions: { code: 'ORDER_EXPIRED' } }))).toMatchObject({
      title: 'Order expired',
      detail: message,
    });
  });
});
