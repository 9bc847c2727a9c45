// Sign-in sessions: a refresh-token family per sign-in, rotated on every use.
import { randomUUID } from 'node:crypto';
import { unauthenticated, type AuthSettings } from '#lib/service/auth.ts';
import type { UsersDatabase } from './db.ts';
import type { UserModel } from './models.ts';
import type { SigningKeys } from './signing-keys.ts';
import { hashRefreshToken, issueAccessToken, newRefreshToken, REFRESH_TOKEN_TTL_MS } from './tokens.ts';

export interface Session {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: UserModel;
}

export interface SessionIssuer {
  db: UsersDatabase;
  keys: SigningKeys;
  settings: Pick<AuthSettings, 'issuer' | 'audience'>;
}

const INVALID_REFRESH_TOKEN = 'The refresh token is not valid or has expired; sign in again.';

async function issue({ db, keys, settings }: SessionIssuer, user: UserModel, familyId: string): Promise<Session> {
  const refreshToken = newRefreshToken();
  const refreshTokenExpiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
  await db.refreshToken.create({
    data: { userId: user.id, familyId, tokenHash: hashRefreshToken(refreshToken), expiresAt: refreshTokenExpiresAt },
  });
  const access = await issueAccessToken(user, keys, settings);
  return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, refreshTokenExpiresAt, user };
}

export function startSession(issuer: SessionIssuer, user: UserModel): Promise<Session> {
  return issue(issuer, user, randomUUID());
}

async function revokeFamily(db: UsersDatabase, familyId: string) {
  await db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * Exchanges a refresh token for a new session. A token that was already exchanged is a stolen
 * or replayed one: its whole family is revoked, so the thief and the victim both sign in again.
 */
export async function rotateSession(issuer: SessionIssuer, refreshToken: string): Promise<Session> {
  const { db } = issuer;
  const stored = await db.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(refreshToken) }, include: { user: true } });
  if (!stored || stored.revokedAt || stored.expiresAt <= new Date()) throw unauthenticated(INVALID_REFRESH_TOKEN);
  // The conditional update makes two concurrent uses of one token a reuse, not two sessions.
  const { count } = await db.refreshToken.updateMany({
    where: { id: stored.id, rotatedAt: null, revokedAt: null },
    data: { rotatedAt: new Date() },
  });
  if (count === 0) {
    await revokeFamily(db, stored.familyId);
    throw unauthenticated('This refresh token was already used, so its sessions are now signed out; sign in again.');
  }
  return issue(issuer, stored.user, stored.familyId);
}

/** Signs out the session of this refresh token (its whole family). Unknown tokens are ignored. */
export async function endSession(db: UsersDatabase, refreshToken: string): Promise<void> {
  const stored = await db.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(refreshToken) } });
  if (stored) await revokeFamily(db, stored.familyId);
}
