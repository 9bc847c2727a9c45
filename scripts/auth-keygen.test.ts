// `npm run auth:keygen`: --help explains; without it, one AUTH_PRIVATE_JWKS line that the users
// service accepts.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadSigningKeys } from '../subgraphs/users/src/signing-keys.ts';

const keygen = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'scripts/auth-keygen.ts', ...args], { encoding: 'utf8' });

describe('npm run auth:keygen', () => {
  it('prints help, and no key, with --help', () => {
    const help = keygen('--help');
    expect(help).toMatch(/^Usage: npm run --silent auth:keygen\n/);
    expect(help).toContain('npm run --silent auth:keygen >> .env');
    expect(help).not.toMatch(/^AUTH_PRIVATE_JWKS=/m);
  });

  it('prints one AUTH_PRIVATE_JWKS line that the users service signs with', () => {
    const output = keygen();
    const [line, ...rest] = output.trimEnd().split('\n');
    expect(rest).toEqual([]);
    const value = /^AUTH_PRIVATE_JWKS='(.+)'$/.exec(line!)![1]!;
    const keys = loadSigningKeys({ NODE_ENV: 'production', AUTH_PRIVATE_JWKS: value });
    expect(keys.current.kid).toBe(new Date().toISOString().slice(0, 10));
  });

  it('refuses an option it does not know, pointing to --help', () => {
    expect(() => execFileSync(process.execPath, ['--import', 'tsx', 'scripts/auth-keygen.ts', '--kid', 'x'], { encoding: 'utf8', stdio: 'pipe' })).toThrow(
      "Unknown option '--kid'. See `npm run auth:keygen -- --help`.",
    );
  });
});
