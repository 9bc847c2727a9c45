// The GraphQL client: one normalized cache for every page, Relay connections merged page by page,
// and links that send the access token (refreshed before it expires, and once more on a 401) and
// the refresh cookie (credentials: 'include', as the gateway is on another origin of this site).
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { relayStylePagination } from '@apollo/client/utilities';
import { from, switchMap } from 'rxjs';
import { getFragmentData, RefreshSessionDocument, SessionFieldsFragmentDoc } from './graphql.ts';
import type { SessionStore } from './session.ts';

declare module '@apollo/client' {
  interface DefaultContext {
    /** Send no access token: the refresh itself, which must not wait for a refresh. */
    anonymous?: boolean;
    /** Set when the operation is sent again after a refresh, so that it is retried once only. */
    retriedAfterRefresh?: boolean;
  }
}

function createCache() {
  // Every list is a Relay connection; `first`/`after` pages of one list merge into one list
  // (keyArgs false), newest first as the API orders them.
  return new InMemoryCache({
    typePolicies: {
      Query: { fields: { posts: relayStylePagination(), products: relayStylePagination() } },
      User: { fields: { posts: relayStylePagination(), orders: relayStylePagination() } },
      Post: { fields: { comments: relayStylePagination() } },
    },
  });
}

/** The gateway refused the token itself (HTTP 401): expired, say, after the computer slept. */
function tokenWasRefused(error: unknown, response: Response | undefined): boolean {
  return (
    response?.status === 401 && CombinedGraphQLErrors.is(error) && error.errors.some((graphQLError) => graphQLError.extensions?.code === 'UNAUTHENTICATED')
  );
}

export function createApolloClient(graphqlUrl: string, sessions: SessionStore): ApolloClient {
  const retryAfterRefresh = new ErrorLink(({ error, operation, forward }) => {
    const context = operation.getContext();
    if (context.anonymous || context.retriedAfterRefresh || !tokenWasRefused(error, context.response as Response | undefined)) return;
    operation.setContext({ retriedAfterRefresh: true });
    return from(sessions.refresh()).pipe(switchMap(() => forward(operation)));
  });

  const sendAccessToken = new SetContextLink(async (context) => {
    const { authorization: _previous, ...headers } = (context.headers ?? {}) as Record<string, string>;
    const token = context.anonymous ? undefined : await sessions.accessToken();
    return { headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers };
  });

  const client = new ApolloClient({
    link: ApolloLink.from([retryAfterRefresh, sendAccessToken, new HttpLink({ uri: graphqlUrl, credentials: 'include' })]),
    cache: createCache(),
  });

  sessions.connect(async () => {
    try {
      const { data } = await client.mutate({ mutation: RefreshSessionDocument, context: { anonymous: true } });
      return data ? getFragmentData(SessionFieldsFragmentDoc, data.refreshToken) : null;
    } catch (error) {
      // No cookie, or a refresh token that expired, was revoked or was used already.
      if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) return null;
      throw error;
    }
  });
  return client;
}
