// Key configuration and rotation: both keys of a rotation verify, the configured one signs.
import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { authSettingsFromEnv, createAccessTokenVerifier } from '#lib/service/auth.ts';
import { loadSigningKeys } from './src/signing-keys.ts';
import { issueAccessToken } from './src/tokens.ts';

function privateJwk(kid: string) {
  return { ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid };
}

const settings = authSettingsFromEnv({});
const oldKey = privateJwk('2026-10');
const newKey = privateJwk('2026-11');
const rotation = JSON.stringify({ keys: [newKey, oldKey] });

describe('signing keys from AUTH_PRIVATE_JWKS', () => {
  it('sign with the first key and publish every public key, without the private part', () => {
    const keys = loadSigningKeys({ AUTH_PRIVATE_JWKS: rotation });
    expect(keys.current.kid).toBe('2026-11');
    expect(keys.jwks.keys.map((key) => key.kid)).toEqual(['2026-11', '2026-10']);
    expect(keys.jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('verify tokens of both keys during a rotation', async () => {
    const beforeRotation = loadSigningKeys({ AUTH_PRIVATE_JWKS: JSON.stringify({ keys: [oldKey] }) });
    const afterRotation = loadSigningKeys({ AUTH_PRIVATE_JWKS: rotation });
    const verify = createAccessTokenVerifier(settings, createLocalJWKSet(afterRotation.jwks));
    const oldToken = await issueAccessToken({ id: 7, role: 'USER' }, beforeRotation, settings);
    const newToken = await issueAccessToken({ id: 8, role: 'ADMIN' }, afterRotation, settings);
    expect(await verify(`Bearer ${oldToken.token}`)).toMatchObject({ id: 7, role: 'USER' });
    expect(await verify(`Bearer ${newToken.token}`)).toMatchObject({ id: 8, role: 'ADMIN' });
    // Once the old key is dropped, its tokens stop verifying.
    const verifyNewOnly = createAccessTokenVerifier(
      settings,
      createLocalJWKSet(loadSigningKeys({ AUTH_PRIVATE_JWKS: JSON.stringify({ keys: [newKey] }) }).jwks),
    );
    await expect(verifyNewOnly(`Bearer ${oldToken.token}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('sign with AUTH_SIGNING_KEY_ID when set', () => {
    expect(loadSigningKeys({ AUTH_PRIVATE_JWKS: rotation, AUTH_SIGNING_KEY_ID: '2026-10' }).current.kid).toBe('2026-10');
    expect(() => loadSigningKeys({ AUTH_PRIVATE_JWKS: rotation, AUTH_SIGNING_KEY_ID: 'nope' })).toThrow(/"nope" is not among/);
  });

  it('explain what is wrong with a bad configuration', () => {
    expect(() => loadSigningKeys({ AUTH_PRIVATE_JWKS: '{"keys": [{"kty": "RSA"}]}' })).toThrow(/Ed25519 private keys, each with a "kid"/);
    expect(() => loadSigningKeys({ AUTH_PRIVATE_JWKS: 'not json' })).toThrow(/AUTH_PRIVATE_JWKS must be a JWK Set/);
    expect(() => loadSigningKeys({ NODE_ENV: 'production' })).toThrow(/AUTH_PRIVATE_JWKS must be set in production/);
  });

  it('give the command that makes a key when production has none, or a malformed one', () => {
    const makeOne = "Make one with `npm run --silent auth:keygen`: it prints an AUTH_PRIVATE_JWKS='…' line for the users service's environment";
    expect(() => loadSigningKeys({ NODE_ENV: 'production' })).toThrow(makeOne);
    expect(() => loadSigningKeys({ NODE_ENV: 'production', AUTH_PRIVATE_JWKS: 'not json' })).toThrow(makeOne);
  });
});
