// The refresh token's cookie for browsers: HttpOnly so that page scripts (and XSS) cannot read
// it, SameSite=Strict so that other sites cannot send it, sent only to /graphql.
import { serialize } from 'cookie';
import { isProduction } from '#lib/service/env.ts';

export const REFRESH_TOKEN_COOKIE = 'refresh_token';

export function refreshTokenCookie(token: string, expires: Date): string {
  return serialize(REFRESH_TOKEN_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: isProduction(),
    path: '/graphql',
    expires,
  });
}
