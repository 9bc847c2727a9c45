// The signed-in session, kept in page memory only: the access token is never written to
// localStorage or a readable cookie, so a script injected into the page cannot take it away and
// it dies with the tab. The refresh token lives in the HttpOnly refresh_token cookie that the
// gateway sets; `refreshToken` (no argument) trades it for a new access token before the current
// one expires, and on page load to restore the session.
import type { Role, SessionFieldsFragment } from './graphql.ts';

export interface SessionUser {
  id: string;
  name: string;
  email: string | null;
  role: Role;
}

export interface Session {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  user: SessionUser;
}

/** Refresh this long before expiry: a slow network and a clock a little off still make it. */
const REFRESH_MARGIN_MS = 60_000;
/** After a refresh that failed for another reason than the session (network, 5xx), try again. */
const RETRY_AFTER_FAILURE_MS = 10_000;

/**
 * Trades the refresh cookie for a new session: the new one, or null when the server says there is
 * no valid session (no cookie, expired, revoked). Throws for anything else (network, 5xx).
 */
export type Refresher = () => Promise<SessionFieldsFragment | null>;

export class SessionStore {
  #session: Session | null = null;
  #listeners = new Set<() => void>();
  #refreshing: Promise<Session | null> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refresher: Refresher | undefined;

  /** The refresher needs the GraphQL client, which needs this store first. */
  connect(refresher: Refresher) {
    this.#refresher = refresher;
  }

  get current(): Session | null {
    return this.#session;
  }

  /** For React's useSyncExternalStore. */
  subscribe = (listener: () => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = () => this.#session;

  start(payload: SessionFieldsFragment) {
    this.#set({
      accessToken: payload.accessToken,
      expiresAt: Date.parse(payload.accessTokenExpiresAt),
      user: { ...payload.user },
    });
  }

  end() {
    this.#set(null);
  }

  /** The token to send now: refreshed first when it is about to expire; none when signed out. */
  async accessToken(): Promise<string | undefined> {
    const session = this.#session;
    if (!session) return undefined;
    if (session.expiresAt - Date.now() > REFRESH_MARGIN_MS) return session.accessToken;
    return (await this.refresh())?.accessToken;
  }

  /**
   * One refresh at a time, in this tab and across tabs: each refresh token works once, and the
   * server signs every session of a sign-in out when a used one comes back, so two concurrent
   * refreshes with the same cookie would end the session. The Web Locks API serializes tabs
   * (each then sends the cookie its predecessor left).
   */
  refresh(): Promise<Session | null> {
    this.#refreshing ??= withRefreshLock(async () => {
      if (!this.#refresher) throw new Error('SessionStore.connect was not called.');
      const payload = await this.#refresher();
      if (payload) this.start(payload);
      else this.end();
      return this.#session;
    }).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  #set(session: Session | null) {
    this.#session = session;
    clearTimeout(this.#timer);
    if (session) this.#schedule(session.expiresAt - REFRESH_MARGIN_MS - Date.now());
    for (const listener of this.#listeners) listener();
  }

  #schedule(delayMs: number) {
    this.#timer = setTimeout(
      () => {
        this.refresh().catch(() => {
          const session = this.#session;
          if (session && session.expiresAt > Date.now()) this.#schedule(RETRY_AFTER_FAILURE_MS);
        });
      },
      Math.max(0, delayMs),
    );
  }
}

function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  // Web Locks exist in secure contexts (https, and http://localhost); elsewhere, this tab only.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the DOM types promise them everywhere, and Node 20 (the unit tests) has no navigator
  const locks = globalThis.navigator?.locks as LockManager | undefined;
  // (lib.dom types the result as a promise of the callback's promise; the lock awaits it.)
  return locks ? (locks.request('refresh-token', task) as unknown as Promise<T>) : task();
}
