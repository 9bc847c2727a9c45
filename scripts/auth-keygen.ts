// `npm run --silent auth:keygen`: prints a new AUTH_PRIVATE_JWKS line (one Ed25519 key) for a
// production .env; --help says how to use it and how to rotate keys.
import { generateKeyPairSync } from 'node:crypto';
import { optionsOrExit } from '#lib/service/startup-errors.ts';

const HELP = `Usage: npm run --silent auth:keygen

Prints a new Ed25519 key that signs access tokens, as one line for the users service's environment:
  AUTH_PRIVATE_JWKS='{"keys":[{"crv":"Ed25519","d":"…","x":"…","kty":"OKP","kid":"<today>"}]}'
Production (NODE_ENV=production) needs it; development makes its own key in .data/keys/.
  npm run --silent auth:keygen >> .env     for Compose (docker-compose.yml reads .env)
--silent keeps npm's own lines out of that output. The line holds a private key: keep it out of
version control and logs. Only the users service needs it; it publishes the public half.

To rotate without downtime: add the new key's entry after the old one in "keys", deploy; move it
first (the first signs), deploy; drop the old one 15 minutes later, once its tokens have expired.

  -h, --help  show this text`;

optionsOrExit({ options: { help: { type: 'boolean', short: 'h' } } }, 'npm run auth:keygen', HELP);

const kid = new Date().toISOString().slice(0, 10);
const key = { ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid };
console.log(`AUTH_PRIVATE_JWKS='${JSON.stringify({ keys: [key] })}'`);
