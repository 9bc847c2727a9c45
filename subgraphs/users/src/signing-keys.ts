// The keys that sign access tokens. Production: AUTH_PRIVATE_JWKS holds a JWK Set of Ed25519
// private keys; the first signs (or AUTH_SIGNING_KEY_ID's), and every key's public half is
// published, so a rotation is: add the new key second, deploy, move it first, deploy, drop
// the old one once its last tokens have expired (15 minutes). Development: a key pair made on
// first start and kept under .data/keys.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JSONWebKeySet, JWK } from 'jose';
import { z } from 'zod';
import { environment, isProduction, type EnvironmentSource } from '#lib/service/env.ts';
import { StartupError } from '#lib/service/startup-errors.ts';

export interface SigningKeys {
  /** The key that signs new tokens, with its id. */
  current: { kid: string; key: KeyObject };
  /** Public keys of every configured key, for `/.well-known/jwks.json`. */
  jwks: JSONWebKeySet;
}

const privateJwk = z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), d: z.string(), x: z.string(), kid: z.string().min(1) });
const privateJwks = z.object({ keys: z.array(privateJwk).min(1) });

const MAKE_A_KEY =
  "Make one with `npm run --silent auth:keygen`: it prints an AUTH_PRIVATE_JWKS='…' line for the users service's environment " +
  '(`npm run --silent auth:keygen >> .env` for Compose; see `npm run auth:keygen -- --help`).';

function fromJwks(text: string, signingKeyId: string | undefined, origin: string): SigningKeys {
  let parsed: z.infer<typeof privateJwks>;
  try {
    parsed = privateJwks.parse(JSON.parse(text));
  } catch (error) {
    throw new StartupError(`${origin} must be a JWK Set of Ed25519 private keys, each with a "kid". ${MAKE_A_KEY}`, { cause: error });
  }
  const signing = signingKeyId ? parsed.keys.find((key) => key.kid === signingKeyId) : parsed.keys[0];
  if (!signing)
    throw new StartupError(
      `AUTH_SIGNING_KEY_ID "${signingKeyId}" is not among the keys of ${origin}: set it to one of their "kid"s, or unset it to sign with the first.`,
    );
  const jwks = {
    keys: parsed.keys.map(({ kid, ...key }): JWK => ({
      ...createPublicKey(createPrivateKey({ key, format: 'jwk' })).export({ format: 'jwk' }),
      kid,
      alg: 'EdDSA',
      use: 'sig',
    })),
  };
  const { kid, ...key } = signing;
  return { current: { kid, key: createPrivateKey({ key, format: 'jwk' }) }, jwks };
}

function developmentKeys(dataDir: string): string {
  const file = path.join(dataDir, 'keys', 'access-token-keys.json');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const kid = `dev-${new Date().toISOString().slice(0, 10)}`;
    try {
      // `wx`: when two processes start at once, the first key written is the one both use.
      writeFileSync(file, JSON.stringify({ keys: [{ ...privateKey.export({ format: 'jwk' }), kid }] }, null, 2), {
        flag: 'wx',
        mode: 0o600,
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8');
}

export function loadSigningKeys(source?: EnvironmentSource): SigningKeys {
  const env = environment(source);
  if (env.AUTH_PRIVATE_JWKS) return fromJwks(env.AUTH_PRIVATE_JWKS, env.AUTH_SIGNING_KEY_ID, 'AUTH_PRIVATE_JWKS');
  if (isProduction(source)) {
    throw new StartupError(`AUTH_PRIVATE_JWKS must be set in production: the users service has no key to sign access tokens with. ${MAKE_A_KEY}`);
  }
  return fromJwks(developmentKeys(env.DATA_DIR), env.AUTH_SIGNING_KEY_ID, '.data/keys/access-token-keys.json');
}
