import { z } from 'zod';
import { unauthenticated } from '#lib/service/auth.ts';
import { publishCacheInvalidation } from '#lib/service/cache-invalidation.ts';
import { invalidInput } from '#lib/service/errors.ts';
import { parseInput } from '#lib/subgraph/validation.ts';
import type { MutationResolvers, TokenDelivery } from '../__generated__/resolvers-types.ts';
import type { Context } from '../context.ts';
import { clearLogInAttempts, countLogInAttempt } from '../login-throttle.ts';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordMatches } from '../passwords.ts';
import { endSession, rotateSession, startSession, type Session } from '../sessions.ts';
import { refreshTokenCookie, REFRESH_TOKEN_COOKIE } from '../refresh-cookie.ts';
import { SCOPES_BY_ROLE } from '../tokens.ts';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: 'must be an email address' }));
const signUpInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  email,
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
});
const logInInput = z.object({ email: z.string().trim().toLowerCase(), password: z.string().max(PASSWORD_MAX_LENGTH) });

const WRONG_CREDENTIALS = 'The email or password is not right.';

/**
 * The payload, with the refresh token in the body or in the HttpOnly cookie. The rest of this
 * request runs as the user who just proved who they are, so `user { email }` can be read.
 */
function deliver(session: Session, delivery: TokenDelivery, context: Context) {
  const { http } = context;
  context.viewer = { id: session.user.id, role: session.user.role, scopes: SCOPES_BY_ROLE[session.user.role] };
  if (delivery === 'BODY') return session;
  http.setCookie(refreshTokenCookie(session.refreshToken, session.refreshTokenExpiresAt));
  return { ...session, refreshToken: null };
}

/** An explicit `delivery: null` gets the default too (the generated types say it cannot be null). */
const deliveryOrDefault = (delivery: TokenDelivery | null | undefined): TokenDelivery => delivery ?? 'COOKIE';

function presentedRefreshToken(argument: string | null | undefined, { http }: Context) {
  if (argument) return { token: argument, delivery: 'BODY' as const };
  const cookie = http.cookies[REFRESH_TOKEN_COOKIE];
  return cookie ? { token: cookie, delivery: 'COOKIE' as const } : null;
}

export const Mutation: MutationResolvers = {
  signUp: async (_, { input, delivery }, context) => {
    const account = parseInput(signUpInput, input, 'input');
    const passwordHash = await hashPassword(account.password);
    const created = await context.db.user.create({ data: { name: account.name, email: account.email, passwordHash } }).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'P2002') throw invalidInput([{ field: 'input.email', message: 'already belongs to an account' }]);
      throw error;
    });
    // One more user in `users`: the gateways' cached lists of users go.
    await publishCacheInvalidation({ type: 'User', id: created.id });
    return deliver(await startSession(context.sessions, created), deliveryOrDefault(delivery), context);
  },

  logIn: async (_, { input, delivery }, context) => {
    const credentials = parseInput(logInInput, input, 'input');
    await countLogInAttempt(context.logInThrottle, credentials.email);
    const user = await context.db.user.findUnique({ where: { email: credentials.email } });
    if (!(await passwordMatches(user?.passwordHash, credentials.password)) || !user) {
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    await clearLogInAttempts(context.logInThrottle, credentials.email);
    return deliver(await startSession(context.sessions, user), deliveryOrDefault(delivery), context);
  },

  refreshToken: async (_, { refreshToken }, context) => {
    const presented = presentedRefreshToken(refreshToken, context);
    if (!presented) throw unauthenticated('No refresh token: pass one, or sign in to get the refresh_token cookie.');
    return deliver(await rotateSession(context.sessions, presented.token), presented.delivery, context);
  },

  logOut: async (_, { refreshToken }, context) => {
    const presented = presentedRefreshToken(refreshToken, context);
    if (presented) await endSession(context.db, presented.token);
    if (presented?.delivery !== 'BODY') context.http.setCookie(refreshTokenCookie('', new Date(0)));
    return true;
  },
};
