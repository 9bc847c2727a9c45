// `npm run --silent auth:keygen`: prints a new AUTH_PRIVATE_JWKS line (one Ed25519 key) for a
// production .env. For a rotation, put the new key first and keep the old one after it.
import { generateKeyPairSync } from 'node:crypto';

const kid = new Date().toISOString().slice(0, 10);
const key = { ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid };
console.log(`AUTH_PRIVATE_JWKS='${JSON.stringify({ keys: [key] })}'`);
