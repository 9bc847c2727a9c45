// The messages of databases that cannot be opened: where the URL came from, what went wrong, and
// the way back to the embedded default; never the URL's password.
import { describe, expect, it } from 'vitest';
import { embeddedServerInUseMessage, unreachableDatabaseMessage } from './database-errors.ts';

const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });

describe('a configured database that cannot be reached', () => {
  it('names the variable, the host, the cause, and how to go back to the embedded PostgreSQL', () => {
    expect(
      unreachableDatabaseMessage({
        variable: 'USERS_DATABASE_URL',
        url: 'postgresql://app:s3cret@10.0.0.5:5432/users',
        error: refused,
        setVariables: ['DATABASE_URL', 'USERS_DATABASE_URL'],
        embeddedDir: '.data/postgres',
      }),
    ).toBe(
      'Cannot connect to the PostgreSQL server of USERS_DATABASE_URL (10.0.0.5:5432): nothing accepts connections there ' +
        '(connect ECONNREFUSED 10.0.0.5:5432). Start that server or correct USERS_DATABASE_URL; ' +
        'or unset DATABASE_URL and USERS_DATABASE_URL to use the embedded PostgreSQL (kept in .data/postgres).',
    );
  });

  it('tells an unknown host, a refused password and a silent server apart', () => {
    const message = (error: unknown) =>
      unreachableDatabaseMessage({
        variable: 'DATABASE_URL',
        url: 'postgresql://db.example/postgres',
        error,
        setVariables: ['DATABASE_URL'],
        embeddedDir: '.data/postgres',
      });
    expect(message(Object.assign(new Error('getaddrinfo ENOTFOUND db.example'), { code: 'ENOTFOUND' }))).toContain(
      '(db.example): its host name does not resolve (getaddrinfo ENOTFOUND db.example)',
    );
    expect(message(Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' }))).toContain(
      'it refused the user name or password',
    );
    expect(message(new Error('Connection terminated due to connection timeout'))).toContain('it does not answer');
    expect(message(new Error('something else'))).toContain('(db.example): something else. Start that server');
  });
});

describe('an embedded server that another command holds', () => {
  it('says who may hold it and how to stop it', () => {
    expect(embeddedServerInUseMessage({ dataDir: '.data/postgres', pid: 4242, port: 15432 })).toBe(
      'The embedded PostgreSQL in .data/postgres is already running (pid 4242, port 15432) for another command: ' +
        'an `npm run db:*` that has not finished, or one left behind by a start that was killed. ' +
        'Wait for that command to end, or stop the server with `kill 4242`.',
    );
  });
});
