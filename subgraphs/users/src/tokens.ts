// Access tokens (short-lived JWTs) and refresh tokens (opaque, stored hashed).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, type AuthSettings, type Role } from '#lib/service/auth.ts';
import type { SigningKeys } from './signing-keys.ts';

const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** What each role's tokens may do; resolvers and `@requiresScopes` check these. */
export const SCOPES_BY_ROLE: Record<Role, string[]> = {
  USER: ['posts:write', 'orders:read', 'orders:write'],
  ADMIN: ['posts:write', 'orders:read', 'orders:write', 'admin'],
};

export interface AccessToken {
  token: string;
  expiresAt: Date;
}

export async function issueAccessToken(
  user: { id: number; role: Role },
  keys: SigningKeys,
  settings: Pick<AuthSettings, 'issuer' | 'audience'>,
  scopes: string[] = SCOPES_BY_ROLE[user.role],
): Promise<AccessToken> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ role: user.role, scope: scopes.join(' ') })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: keys.current.kid, typ: 'JWT' })
    .setSubject(String(user.id))
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SECONDS)
    .setJti(randomUUID())
    .sign(keys.current.key);
  return { token, expiresAt: new Date((issuedAt + ACCESS_TOKEN_TTL_SECONDS) * 1000) };
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Refresh tokens are 256 random bits, so a fast hash is enough (no password-style stretching). */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
