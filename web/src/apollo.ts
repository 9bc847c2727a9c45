// The GraphQL client: one normalized cache for every page, Relay connections merged page by page,
// and links that send the access token (refreshed before it expires, and once more on a 401) and
// the refresh cookie (credentials: 'include', as the gateway is on another origin of this site).
// Operations go by id only (docs/trusted-documents.md): the gateway runs the documents published
// from the manifest codegen writes, and nothing this page could make up.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { relayStylePagination } from '@apollo/client/utilities';
import type { DocumentNode } from 'graphql';
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

/** The id codegen gave the document (operations/__generated__/persisted-documents.json), as Apollo's persistedQuery extension writes it. */
function registeredId(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string') {
    throw new Error('This operation has no id from the persisted-documents manifest: write it in a .graphql file beside its page and run npm run codegen.');
  }
  return hash.replace(/^sha256:/, '');
}

/**
 * Sends the document's id, never the document: no fallback to the full text when the gateway does
 * not know the id (`retry`), and none for the rest of the session either (`disable`); the error
 * says to publish the manifest. Queries by GET, so that a CDN can keep public answers.
 */
const sendDocumentIds = new PersistedQueryLink({ generateHash: registeredId, retry: () => false, disable: () => false, useGETForHashedQueries: true });

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
    link: ApolloLink.from([retryAfterRefresh, sendAccessToken, sendDocumentIds, new HttpLink({ uri: graphqlUrl, credentials: 'include' })]),
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
