// Sign-in attempts per account, on top of the gateway's budget per caller: a guesser who spreads
// its guesses over many addresses (or reaches this service directly) still gets only
// LOGIN_MAX_FAILURES tries at one email per LOGIN_FAILURE_WINDOW_SECONDS. Counted in the users
// database, so every replica and every route to this service shares the count.
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { environment, type EnvironmentSource } from '#lib/service/env.ts';
import { ErrorCode } from '#lib/service/errors.ts';
import type { UsersDatabase } from './db.ts';

export interface LogInThrottleSettings {
  /** Sign-in attempts one email gets, since its last success, before it is refused for the rest of the window. */
  maxFailures: number;
  /** How long a window lasts, from the first attempt in it. */
  windowSeconds: number;
}

export const DEFAULT_LOG_IN_THROTTLE: LogInThrottleSettings = { maxFailures: 10, windowSeconds: 15 * 60 };

export function logInThrottleSettingsFromEnv(source?: EnvironmentSource): LogInThrottleSettings {
  const env = environment(source);
  return {
    maxFailures: env.LOGIN_MAX_FAILURES ?? DEFAULT_LOG_IN_THROTTLE.maxFailures,
    windowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS ?? DEFAULT_LOG_IN_THROTTLE.windowSeconds,
  };
}

export interface LogInThrottle {
  db: UsersDatabase;
  settings: LogInThrottleSettings;
}

const hashOf = (email: string) => createHash('sha256').update(email).digest('hex');

/**
 * Counts one attempt at `email` (normalised) before its password is checked, so that guesses sent
 * at once cannot slip past the count; refuses it with RATE_LIMITED once the window's attempts are
 * spent. An email without an account is counted and refused exactly like one with: the answer
 * never tells which emails have accounts. The statement also deletes every row whose window has
 * ended, so the table holds only the emails tried in the last window.
 */
export async function countLogInAttempt({ db, settings }: LogInThrottle, email: string): Promise<void> {
  const emailHash = hashOf(email);
  const window = settings.windowSeconds;
  const [counted] = await db.$queryRaw<{ attempts: number; retryAfterSeconds: number }[]>`
    WITH ended AS (
      DELETE FROM "LogInThrottle"
      WHERE "windowStartedAt" <= now() - make_interval(secs => ${window}) AND "emailHash" <> ${emailHash}
    )
    INSERT INTO "LogInThrottle" AS throttle ("emailHash", "attempts", "windowStartedAt") VALUES (${emailHash}, 1, now())
    ON CONFLICT ("emailHash") DO UPDATE SET
      "attempts" = CASE WHEN throttle."windowStartedAt" <= now() - make_interval(secs => ${window}) THEN 1 ELSE throttle."attempts" + 1 END,
      "windowStartedAt" = CASE WHEN throttle."windowStartedAt" <= now() - make_interval(secs => ${window}) THEN now() ELSE throttle."windowStartedAt" END
    RETURNING "attempts",
      CEIL(EXTRACT(EPOCH FROM "windowStartedAt" + make_interval(secs => ${window}) - now()))::int AS "retryAfterSeconds"`;
  if (counted!.attempts > settings.maxFailures) {
    const retryAfterSeconds = Math.max(1, counted!.retryAfterSeconds);
    throw new GraphQLError(
      `Too many sign-in attempts for this email: it is locked for ${Math.ceil(retryAfterSeconds / 60)} more minute(s). Try again after that.`,
      { extensions: { code: ErrorCode.RateLimited, retryAfterSeconds } },
    );
  }
}

/** A successful sign-in: the email's count starts over. */
export async function clearLogInAttempts({ db }: LogInThrottle, email: string): Promise<void> {
  await db.logInThrottle.deleteMany({ where: { emailHash: hashOf(email) } });
}
