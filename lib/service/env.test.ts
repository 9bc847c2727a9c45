import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT, SUBGRAPHS } from '../../subgraphs/manifest.ts';
import { describeVariable, environment, ENVIRONMENT_VARIABLES, EnvironmentError, subgraphDatabaseUrl } from './env.ts';

/** The variables named in the first column of the table in docs/configuration.md. */
function documentedVariables(): string[] {
  const page = readFileSync(new URL('docs/configuration.md', REPO_ROOT), 'utf8');
  const firstCells = page
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|')[1]!);
  return firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]!));
}

describe('the table of docs/configuration.md', () => {
  it('documents every variable the product reads', () => {
    const documented = new Set(documentedVariables());
    expect(
      ENVIRONMENT_VARIABLES.filter((name) => !documented.has(name)),
      'read in lib/service/env.ts, missing from docs/configuration.md',
    ).toEqual([]);
  });

  it('lists no variable the product does not read', () => {
    const read = new Set(ENVIRONMENT_VARIABLES);
    expect(
      documentedVariables().filter((name) => !read.has(name)),
      'in docs/configuration.md, unknown to lib/service/env.ts',
    ).toEqual([]);
  });
});

describe('the environment schema', () => {
  it('describes every variable in one line', () => {
    for (const name of ENVIRONMENT_VARIABLES) expect(describeVariable(name), name).toMatch(/^[^\n]{10,}$/);
  });

  it("has each subgraph's variables from the manifest", () => {
    for (const { env } of SUBGRAPHS) expect(ENVIRONMENT_VARIABLES).toEqual(expect.arrayContaining([env.databaseUrl, env.port, env.routingUrl]));
  });

  it('gives the defaults no concern owns, and undefined for the others', () => {
    expect(environment({})).toMatchObject({
      DATABASE_NAME_PREFIX: '',
      DATABASE_POOL_SIZE: 10,
      LOG_LEVEL: 'info',
      TRUST_PROXY: false,
      GATEWAY_WORKERS: 1,
      MAX_QUERY_DEPTH: undefined,
      PORT: undefined,
    });
  });

  it('reads numbers, lists and blank values as unset', () => {
    const env = environment({ GATEWAY_PORT: '8080', CORS_ORIGINS: 'https://a.example, https://b.example,', PORT: ' ', LOG_LEVEL: '' });
    expect(env).toMatchObject({ GATEWAY_PORT: 8080, CORS_ORIGINS: ['https://a.example', 'https://b.example'], PORT: undefined, LOG_LEVEL: 'info' });
  });
});

describe('a bad value', () => {
  it.each([
    ['GATEWAY_PORT', 'abc', 'Invalid start settings: GATEWAY_PORT must be a port number between 0 and 65535 (got "abc").'],
    ['USERS_PORT', '70000', 'Invalid start settings: USERS_PORT must be a port number between 0 and 65535 (got "70000").'],
    [
      'EMBEDDED_POSTGRES_PORT',
      '-1',
      'Invalid database settings: EMBEDDED_POSTGRES_PORT must be a port number between 0 and 65535, 0 for any free one (got "-1").',
    ],
    ['MAX_QUERY_COST', '0', 'Invalid limit settings: MAX_QUERY_COST must be a whole number, 1 or more (got "0").'],
    ['SUBGRAPH_TIMEOUT_MS', '1.5', 'Invalid subgraph resilience settings: SUBGRAPH_TIMEOUT_MS must be a whole number of milliseconds, 1 or more (got "1.5").'],
    [
      'PENDING_ORDER_SWEEP_SECONDS',
      '86400',
      'Invalid order expiry settings: PENDING_ORDER_SWEEP_SECONDS must be a whole number of seconds from 1 to 3600, an hour (got "86400").',
    ],
    ['CACHE', 'maybe', 'Invalid cache settings: CACHE must be on or off (got "maybe").'],
    ['NAIVE_RESOLVERS', 'yes', 'Invalid subgraph settings: NAIVE_RESOLVERS must be true or false (got "yes").'],
    ['LOG_LEVEL', 'loud', 'Invalid service settings: LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent (got "loud").'],
    ['AUTH_JWKS_URL', 'users/jwks', 'Invalid auth settings: AUTH_JWKS_URL must be a URL, e.g. http://users:4001/.well-known/jwks.json (got "users/jwks").'],
    [
      'RATE_LIMIT_KEY_PREFIX',
      'two words',
      'Invalid limit settings: RATE_LIMIT_KEY_PREFIX must be 1 to 100 printable ASCII characters without spaces, e.g. "shop-eu:ratelimit:" (got "two words").',
    ],
  ])('%s=%j is named, with what it must be and what it got', (name, value, message) => {
    expect(() => environment({ [name]: value })).toThrow(EnvironmentError);
    expect(() => environment({ [name]: value })).toThrow(message);
  });

  it('of TRUST_PROXY says why true is refused and what to set instead', () => {
    expect(() => environment({ TRUST_PROXY: 'true' })).toThrow(
      /^Invalid HTTP settings: TRUST_PROXY must not be true: it would believe whatever X-Forwarded-For a client sends.*TRUST_PROXY=1 .*\(got "true"\)\.$/,
    );
    expect(() => environment({ TRUST_PROXY: 'loopback,example.com' })).toThrow(
      /TRUST_PROXY must name proxies by number or address: "example\.com" is not an address\./,
    );
  });

  it('that may hold a secret is not repeated in the message', () => {
    const attempt = () => environment({ DATABASE_URL: 'postgres ql://admin:hunter2@db/x', AUTH_PRIVATE_JWKS: 'x' });
    expect(attempt).toThrow(
      'Invalid database settings: DATABASE_URL must be a URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres (its value is not shown: it may hold a secret).',
    );
    expect(attempt).not.toThrow(/hunter2/);
  });
});

describe('several bad values', () => {
  it('are one error that names each, by concern', () => {
    let error: unknown;
    try {
      environment({ GATEWAY_PORT: 'abc', MAX_QUERY_DEPTH: 'deep', WEB_PORT: '-1', CACHE_MEMORY_MB: 'lots' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toBe(
      [
        'Invalid start settings: GATEWAY_PORT must be a port number between 0 and 65535 (got "abc"); WEB_PORT must be a port number between 0 and 65535 (got "-1").',
        'Invalid limit settings: MAX_QUERY_DEPTH must be a whole number, 1 or more (got "deep").',
        'Invalid cache settings: CACHE_MEMORY_MB must be a whole number, 1 or more (got "lots").',
      ].join('\n'),
    );
    expect((error as EnvironmentError).problems.map((problem) => problem.variable)).toEqual(['GATEWAY_PORT', 'WEB_PORT', 'MAX_QUERY_DEPTH', 'CACHE_MEMORY_MB']);
  });
});

describe('process.env', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is parsed once while its variables keep their values, and again when one changes', () => {
    vi.stubEnv('MAX_QUERY_DEPTH', '7');
    const first = environment();
    expect(environment()).toBe(first);
    expect(first.MAX_QUERY_DEPTH).toBe(7);
    vi.stubEnv('MAX_QUERY_DEPTH', '9');
    expect(environment().MAX_QUERY_DEPTH).toBe(9);
  });
});

describe('a subgraph database URL', () => {
  it('is read from the variable its entry names, also for a subgraph the manifest does not list yet', () => {
    expect(subgraphDatabaseUrl('REVIEWS_DATABASE_URL', { REVIEWS_DATABASE_URL: 'postgresql://127.0.0.1/reviews' })).toBe('postgresql://127.0.0.1/reviews');
    expect(subgraphDatabaseUrl('REVIEWS_DATABASE_URL', { REVIEWS_DATABASE_URL: '' })).toBeUndefined();
    expect(() => subgraphDatabaseUrl('REVIEWS_DATABASE_URL', { REVIEWS_DATABASE_URL: 'nope' })).toThrow(
      'Invalid database settings: REVIEWS_DATABASE_URL must be a URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres (its value is not shown: it may hold a secret).',
    );
  });
});
