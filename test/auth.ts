// Access tokens for tests, signed with the development key that the users service publishes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet } from 'jose';
import { authSettingsFromEnv, type Role } from '#lib/service/auth.ts';
import type { SubgraphDefinition } from '#lib/subgraph/service.ts';
import { loadSigningKeys } from '../subgraphs/users/src/signing-keys.ts';
import { issueAccessToken } from '../subgraphs/users/src/tokens.ts';

export const ADA = { id: 1, role: 'ADMIN' as Role };
export const BOB = { id: 2, role: 'USER' as Role };
export const CAROL = { id: 3, role: 'USER' as Role };

export async function tokenFor(user: { id: number; role: Role }, scopes?: string[]): Promise<string> {
  return (await issueAccessToken(user, loadSigningKeys(), authSettingsFromEnv(), scopes)).token;
}

export async function bearer(user: { id: number; role: Role }, scopes?: string[]): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokenFor(user, scopes)}` };
}

/** A subgraph under test verifies tokens with the development keys directly (no users service). */
export function withLocalKeys(definition: SubgraphDefinition): SubgraphDefinition {
  return { ...definition, verificationKeys: createLocalJWKSet(loadSigningKeys().jwks) };
}

/** The development public keys over HTTP, as the users service publishes them: for a gateway in front of stand-in subgraphs. */
export async function serveDevelopmentJwks(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_, response) => response.end(JSON.stringify(loadSigningKeys().jwks)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
