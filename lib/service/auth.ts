// Who is asking: every service verifies the bearer access token itself (the gateway first, then
// each subgraph again), against the users service's published keys. No service trusts an
// identity header it cannot verify.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { GraphQLError } from 'graphql';
import { environment, type EnvironmentSource } from './env.ts';
import { ErrorCode } from './errors.ts';

const ROLES = ['USER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export interface Viewer {
  id: number;
  role: Role;
  scopes: string[];
}

/** The only signature algorithm accepted: `alg: none`, HS256 and RS256 tokens are refused. */
export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';

export interface AuthSettings {
  /** The users service's public keys (JWKS); fetched over HTTP and cached, refetched for a new `kid`. */
  jwksUrl: string;
  issuer: string;
  audience: string;
}

export function authSettingsFromEnv(source?: EnvironmentSource): AuthSettings {
  const env = environment(source);
  return { jwksUrl: env.AUTH_JWKS_URL, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE };
}

/** Not signed in where a field needs it: that field is null, the rest of the data stays. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Unauthenticated } });
}

/** A token that does not verify: the whole request fails with HTTP 401, not as anonymous. */
export function invalidToken(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Forbidden } });
}

export type AccessTokenVerifier = (authorization: string | undefined) => Promise<Viewer | null>;

/** A token whose signature and claims were checked: who it names, until when, and with which key. */
interface VerifiedToken {
  viewer: Viewer;
  /** Its `exp`, in milliseconds. */
  expiresAt: number;
  kid: string | undefined;
}

/** Tokens in use at once that each service keeps verified: an access token lives 15 minutes. */
const VERIFIED_TOKENS = 10_000;

/** The key set as it stands, when it can tell (jose's local and remote sets can): the keys it still holds. */
function keyIdsOf(getKey: JWTVerifyGetKey): (() => Set<string | undefined> | undefined) | undefined {
  const jwks = (getKey as { jwks?: () => JSONWebKeySet | undefined }).jwks;
  if (typeof jwks !== 'function') return undefined;
  let seen: JSONWebKeySet | undefined;
  let kids: Set<string | undefined> | undefined;
  return () => {
    const current = jwks();
    if (current !== seen) {
      seen = current;
      kids = current && new Set(current.keys.map((key) => key.kid));
    }
    return kids;
  };
}

/**
 * Reads `Authorization: Bearer <token>`: null when absent (an anonymous request); a verified
 * viewer; or an UNAUTHENTICATED error (HTTP 401) for anything else, never a silent anonymous.
 *
 * A token is verified once per verifier (per service and process), then its viewer is kept until
 * the token's `exp`: the signature check is most of what a signed-in request costs a service
 * that answers it. Only a token that verified is kept, keyed by its whole text, so a token
 * changed by one character is a stranger and verified in full. The trade-off: a token that
 * verified stays accepted until it expires (15 minutes at most) unless its signing key leaves
 * the key set this verifier holds. The remote set refetches the JWKS when a token names an
 * unknown key, and jose's cache age (10 minutes) bounds how long a removed key is still trusted
 * for new tokens too; a removed key drops its kept tokens at once.
 */
export function createAccessTokenVerifier(settings: AuthSettings, keys?: JWTVerifyGetKey): AccessTokenVerifier {
  const getKey = keys ?? createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 5_000 });
  const currentKeyIds = keyIdsOf(getKey);
  const verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS });

  async function verify(token: string): Promise<VerifiedToken> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, getKey, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['sub', 'role', 'scope', 'iat', 'exp', 'jti'],
      });
      const id = Number(payload.sub);
      const role = payload.role as Role;
      if (!Number.isSafeInteger(id) || id <= 0 || !ROLES.includes(role) || typeof payload.scope !== 'string') {
        throw invalidToken('The access token does not describe a user.');
      }
      const viewer = { id, role, scopes: payload.scope.split(' ').filter(Boolean) };
      return { viewer, expiresAt: payload.exp! * 1000, kid: protectedHeader.kid };
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw invalidToken('The access token has expired; refresh it.');
      if (error instanceof joseErrors.JOSEError) throw invalidToken('The access token is not valid.');
      throw error;
    }
  }

  return async (authorization) => {
    if (authorization === undefined || authorization === '') return null;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization);
    if (!match) throw invalidToken('The Authorization header must be "Bearer <access token>".');
    const token = match[1]!;
    const kept = verified.get(token);
    // An expired token, or one whose key is gone, is verified again: and refused, saying why.
    if (kept && Date.now() < kept.expiresAt && (currentKeyIds?.()?.has(kept.kid) ?? true)) return kept.viewer;
    if (kept) verified.delete(token);
    const fresh = await verify(token);
    verified.set(token, fresh);
    return fresh.viewer;
  };
}

export function isAdmin(viewer: Viewer | null): boolean {
  return viewer?.role === 'ADMIN';
}

/** The viewer, or UNAUTHENTICATED: for checks inside resolvers (the directives cover fields). */
export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated('You must be signed in.');
  return viewer;
}

/** Passes when the viewer owns the resource (or is an admin); FORBIDDEN otherwise. */
export function requireOwnerOrAdmin(viewer: Viewer | null, ownerId: number, what: string): Viewer {
  const signedIn = requireViewer(viewer);
  if (signedIn.id !== ownerId && signedIn.role !== 'ADMIN') throw forbidden(`Only its owner or an admin may ${what}.`);
  return signedIn;
}
