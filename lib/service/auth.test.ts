// The access-token verifier: who a token names, and that each token's signature is checked once,
// its viewer then kept no longer than the token (nor its key) lives.
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BOB, CAROL, tokenFor } from '../../test/auth.ts';
import { loadSigningKeys } from '../../subgraphs/users/src/signing-keys.ts';
import { authSettingsFromEnv, createAccessTokenVerifier } from './auth.ts';

/** The development key set, counting the signature checks it serves a key for; `published` may change, as a JWKS does. */
function countingKeySet() {
  const keySet = { published: loadSigningKeys().jwks, lookups: 0 };
  const getKey = Object.assign(
    (...args: Parameters<JWTVerifyGetKey>) => {
      keySet.lookups++;
      return createLocalJWKSet(keySet.published)(...args);
    },
    { jwks: (): JSONWebKeySet => keySet.published },
  );
  return { keySet, getKey };
}

const verifierWith = (getKey: JWTVerifyGetKey) => createAccessTokenVerifier(authSettingsFromEnv({}), getKey);

afterEach(() => {
  vi.useRealTimers();
});

describe('createAccessTokenVerifier', () => {
  it('answers null without a token, and refuses what is not a bearer token', async () => {
    const verify = verifierWith(countingKeySet().getKey);
    expect(await verify(undefined)).toBeNull();
    await expect(verify('Basic abc')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  });

  it('checks a token’s signature once: the next requests with it get the viewer it was verified for', async () => {
    const { keySet, getKey } = countingKeySet();
    const verify = verifierWith(getKey);
    const bob = `Bearer ${await tokenFor(BOB)}`;
    expect(await verify(bob)).toMatchObject({ id: BOB.id, role: 'USER' });
    expect(await verify(bob)).toMatchObject({ id: BOB.id, role: 'USER' });
    expect(keySet.lookups).toBe(1);
    expect(await verify(`Bearer ${await tokenFor(CAROL)}`)).toMatchObject({ id: CAROL.id });
    expect(keySet.lookups).toBe(2);
  });

  it('refuses a token that expired since it was verified', async () => {
    const { getKey } = countingKeySet();
    const verify = verifierWith(getKey);
    const bob = `Bearer ${await tokenFor(BOB)}`;
    await verify(bob);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 16 * 60_000);
    await expect(verify(bob)).rejects.toMatchObject({ message: 'The access token has expired; refresh it.' });
  });

  it('never takes a tampered token for the one it was made from', async () => {
    const { keySet, getKey } = countingKeySet();
    const verify = verifierWith(getKey);
    const token = await tokenFor(BOB);
    await verify(`Bearer ${token}`);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const asAdmin = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url');
    await expect(verify(`Bearer ${header}.${asAdmin}.${signature}`)).rejects.toMatchObject({ message: 'The access token is not valid.' });
    await expect(verify(`Bearer ${token}x`)).rejects.toMatchObject({ message: 'The access token is not valid.' });
    expect(keySet.lookups).toBe(3);
  });

  it('drops what a key verified once that key leaves the key set', async () => {
    const { keySet, getKey } = countingKeySet();
    const verify = verifierWith(getKey);
    const bob = `Bearer ${await tokenFor(BOB)}`;
    await verify(bob);
    keySet.published = { keys: [] };
    await expect(verify(bob)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
