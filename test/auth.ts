// Access tokens for tests, signed with the development key that the users service publishes.
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
