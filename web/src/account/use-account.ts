// Starting and ending a session from the pages. The cache is reset either way: what was cached
// for one viewer (`me`, private fields) must not be shown to the next.
import { useApolloClient } from '@apollo/client/react';
import { useCallback } from 'react';
import { LogOutDocument, type SessionFieldsFragment } from '../graphql.ts';
import { navigate } from '../router.tsx';
import { useSessionStore } from './session-context.tsx';

/** Where to go after signing in: the `next` page it was asked from, on this site only. */
export function nextPage(search: URLSearchParams): string {
  const next = search.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function useStartSession() {
  const client = useApolloClient();
  const sessions = useSessionStore();
  return useCallback(
    async (payload: SessionFieldsFragment, next: string) => {
      sessions.start(payload);
      await client.resetStore();
      navigate(next, { replace: true });
    },
    [client, sessions],
  );
}

export function useLogOut() {
  const client = useApolloClient();
  const sessions = useSessionStore();
  return useCallback(async () => {
    // The server revokes the session and clears the cookie; signed out here whatever it answers.
    await client.mutate({ mutation: LogOutDocument, context: { anonymous: true } }).catch(() => null);
    sessions.end();
    await client.resetStore();
  }, [client, sessions]);
}
