// Sign-in attempts per account, against the users subgraph and its PostgreSQL: ten tries at one
// email per window, whoever sends them, then RATE_LIMITED, alike for emails with and without an
// account; a success starts the count over.
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { postGraphQL, useTestSubgraph } from '../../test/graphql.ts';
import { connectUsersDatabase } from './src/db.ts';
import { DEFAULT_LOG_IN_THROTTLE, logInThrottleSettingsFromEnv } from './src/login-throttle.ts';
import { usersSubgraph } from './src/subgraph.ts';

const subgraph = useTestSubgraph('users', usersSubgraph, connectUsersDatabase);
const { db } = subgraph;

const PASSWORD = 'correct horse battery';
const LOG_IN = 'mutation ($input: LogInInput!) { logIn(input: $input, delivery: BODY) { accessToken } }';

async function newAccount() {
  const email = `throttle-${randomUUID()}@example.com`;
  const { body } = await postGraphQL(subgraph.service.url, 'mutation ($input: SignUpInput!) { signUp(input: $input, delivery: BODY) { accessToken } }', {
    input: { name: 'Throttled', email, password: PASSWORD },
  });
  expect(body.errors).toBeUndefined();
  return email;
}

async function logIn(email: string, password: string) {
  const { body } = await postGraphQL(subgraph.service.url, LOG_IN, { input: { email, password } });
  return body.errors?.[0] ?? { extensions: { code: 'OK' }, message: '' };
}

const codeOf = async (attempt: Promise<{ extensions?: Record<string, unknown> }>) => (await attempt).extensions?.code;
const rowOf = (email: string) => db.logInThrottle.findUnique({ where: { emailHash: createHash('sha256').update(email).digest('hex') } });

describe('sign-in attempts per account', () => {
  it('refuses the eleventh attempt in the window, even with the right password, and says when to retry', async () => {
    const email = await newAccount();
    for (let attempt = 0; attempt < 10; attempt++) expect(await codeOf(logIn(email, 'a wrong guess'))).toBe('UNAUTHENTICATED');
    const refused = await logIn(email, PASSWORD);
    expect(refused.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(refused.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.extensions!.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(refused.message).toMatch(/^Too many sign-in attempts for this email: it is locked for \d+ more minute\(s\)\. Try again after that\.$/);
    // The email's case and spaces do not make it another account.
    expect(await codeOf(logIn(`  ${email.toUpperCase()} `, PASSWORD))).toBe('RATE_LIMITED');
  });

  it('answers an email without an account exactly as one with, so the lock reveals nothing', async () => {
    const nobody = `nobody-${randomUUID()}@example.com`;
    for (let attempt = 0; attempt < 10; attempt++) expect(await codeOf(logIn(nobody, 'a wrong guess'))).toBe('UNAUTHENTICATED');
    const refused = await logIn(nobody, PASSWORD);
    expect(refused.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
  });

  it('starts the count over after a successful sign-in', async () => {
    const email = await newAccount();
    for (let attempt = 0; attempt < 9; attempt++) await logIn(email, 'a wrong guess');
    expect(await codeOf(logIn(email, PASSWORD))).toBe('OK');
    expect(await rowOf(email)).toBeNull();
    for (let attempt = 0; attempt < 10; attempt++) expect(await codeOf(logIn(email, 'a wrong guess'))).toBe('UNAUTHENTICATED');
  });

  it('lets no more than ten guesses through when they arrive all at once', async () => {
    const email = await newAccount();
    const codes = await Promise.all(Array.from({ length: 16 }, () => codeOf(logIn(email, 'a wrong guess'))));
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(10);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(6);
  });

  it('opens a new window once the last has ended, and forgets ended windows', async () => {
    const email = await newAccount();
    const other = `other-${randomUUID()}@example.com`;
    for (let attempt = 0; attempt < 11; attempt++) await logIn(email, 'a wrong guess');
    await logIn(other, 'a wrong guess');
    const windowEnded = new Date(Date.now() - 15 * 60 * 1000 - 1_000);
    await db.logInThrottle.updateMany({
      where: { emailHash: { in: [(await rowOf(email))!.emailHash, (await rowOf(other))!.emailHash] } },
      data: { windowStartedAt: windowEnded },
    });
    expect(await codeOf(logIn(email, PASSWORD))).toBe('OK');
    expect(await rowOf(other)).toBeNull();
  });

  it('keeps no email, only its SHA-256', async () => {
    const email = `kept-${randomUUID()}@example.com`;
    await logIn(email, 'a wrong guess');
    const row = await rowOf(email);
    expect(row).toMatchObject({ attempts: 1 });
    expect(JSON.stringify(row)).not.toContain('kept-');
  });
});

describe('logInThrottleSettingsFromEnv', () => {
  it('has documented defaults and reads each variable', () => {
    expect(logInThrottleSettingsFromEnv({})).toEqual(DEFAULT_LOG_IN_THROTTLE);
    expect(DEFAULT_LOG_IN_THROTTLE).toEqual({ maxFailures: 10, windowSeconds: 900 });
    expect(logInThrottleSettingsFromEnv({ LOGIN_MAX_FAILURES: '5', LOGIN_FAILURE_WINDOW_SECONDS: '60' })).toEqual({ maxFailures: 5, windowSeconds: 60 });
  });

  it('refuses values that are not positive integers, naming the variable', () => {
    expect(() => logInThrottleSettingsFromEnv({ LOGIN_MAX_FAILURES: '0' })).toThrow(/LOGIN_MAX_FAILURES/);
    expect(() => logInThrottleSettingsFromEnv({ LOGIN_FAILURE_WINDOW_SECONDS: 'soon' })).toThrow(/LOGIN_FAILURE_WINDOW_SECONDS/);
  });
});
