// The in-memory session: one refresh at a time (a refresh token works once, and a second use
// signs every session of the sign-in out), and a refresh before the access token expires.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionFieldsFragment } from './graphql.ts';
import { SessionStore } from './session.ts';

const MINUTE = 60_000;

function payload(token: string, expiresInMs = 15 * MINUTE): SessionFieldsFragment {
  return {
    __typename: 'AuthPayload',
    accessToken: token,
    accessTokenExpiresAt: new Date(Date.now() + expiresInMs).toISOString(),
    user: { __typename: 'User', id: '2', name: 'Bob Buyer', email: 'bob@example.com', role: 'USER' },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('SessionStore', () => {
  it('sends the current token while it has more than a minute left', async () => {
    const store = new SessionStore();
    const refresher = vi.fn(async () => payload('new'));
    store.connect(refresher);
    store.start(payload('current'));
    expect(await store.accessToken()).toBe('current');
    expect(refresher).not.toHaveBeenCalled();
  });

  it('refreshes once for all the requests that find the token about to expire', async () => {
    const store = new SessionStore();
    const refresher = vi.fn(async () => payload('new'));
    store.connect(refresher);
    store.start(payload('old', 30_000));
    const tokens = await Promise.all([store.accessToken(), store.accessToken(), store.accessToken()]);
    expect(tokens).toEqual(['new', 'new', 'new']);
    expect(refresher).toHaveBeenCalledTimes(1);
  });

  it('refreshes by itself a minute before expiry, and ends the session when the server has none', async () => {
    const store = new SessionStore();
    const refresher = vi.fn(async () => null);
    const changes = vi.fn();
    store.connect(refresher);
    store.subscribe(changes);
    store.start(payload('current'));
    await vi.advanceTimersByTimeAsync(13 * MINUTE);
    expect(refresher).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(refresher).toHaveBeenCalledTimes(1);
    expect(store.current).toBeNull();
    expect(changes).toHaveBeenCalledTimes(2);
  });

  it('keeps the session and tries again when a refresh fails for another reason', async () => {
    const store = new SessionStore();
    const refresher = vi.fn().mockRejectedValueOnce(new TypeError('Failed to fetch')).mockResolvedValue(payload('new'));
    store.connect(refresher);
    store.start(payload('current'));
    await vi.advanceTimersByTimeAsync(14 * MINUTE);
    expect(store.current?.accessToken).toBe('current');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.current?.accessToken).toBe('new');
  });
});
