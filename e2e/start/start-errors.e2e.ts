// `npm start` when it cannot start: each failure says what to do, with no stack trace, and a failure
// that can be found before anything is created (a taken port, missing production keys) is found
// before the embedded PostgreSQL is created or started.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDatabaseEnv, failedStart } from '../../test/start-process.ts';

const scratch = path.resolve('.data/start-errors-e2e');
// Never created: every start here must fail before it would be.
const dataDir = path.join(scratch, 'postgres');

let holder: net.Server;
let taken: number;

beforeAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  taken = (holder.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => holder?.close(resolve));
  await rm(scratch, { recursive: true, force: true });
});

const noStackTrace = /^\s+at /m;

/** A service's own entry point (a container's command), run to its end: its exit code and output. */
function runService(main: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, REDIS_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('npm start that cannot start', () => {
  it('names the service and the variable of a taken port, before creating the database cluster', async () => {
    const { code, output } = await failedStart(embeddedDatabaseEnv(dataDir), { ports: { POSTS_PORT: String(taken) } });
    expect(code).toBe(1);
    expect(output).toContain(
      `The posts subgraph cannot listen on 127.0.0.1:${taken}: the port is taken. Set POSTS_PORT to another port (0 picks a free one), or stop what holds it.`,
    );
    expect(output).not.toMatch(noStackTrace);
    expect(output).not.toContain('Creating the embedded PostgreSQL cluster');
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('names the variable of a database it cannot reach, and how to go back to the embedded one', async () => {
    const { code, output } = await failedStart(
      { ...embeddedDatabaseEnv(dataDir), DATABASE_URL: 'postgresql://postgres:secret@127.0.0.1:1/postgres' },
      { args: ['--no-web'] },
    );
    expect(code).toBe(1);
    expect(output).toContain('Cannot connect to the PostgreSQL server of DATABASE_URL (127.0.0.1:1): nothing accepts connections there');
    expect(output).toContain('or unset DATABASE_URL to use the embedded PostgreSQL');
    expect(output).not.toContain('secret');
    expect(output).not.toMatch(noStackTrace);
  }, 60_000);

  it('gives the command that makes signing keys when production has none, before creating anything', async () => {
    const { code, output } = await failedStart({ ...embeddedDatabaseEnv(dataDir), NODE_ENV: 'production', AUTH_PRIVATE_JWKS: '' }, { args: ['--no-web'] });
    expect(code).toBe(1);
    expect(output).toContain('AUTH_PRIVATE_JWKS must be set in production');
    expect(output).toContain('npm run --silent auth:keygen');
    expect(output).not.toMatch(noStackTrace);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);
});

describe('a service run on its own that cannot start', () => {
  // Never reached: each fails before its first query.
  const unreachable = 'postgresql://postgres@127.0.0.1:1/postgres';

  it('names the service and PORT when its port is taken', async () => {
    const posts = await runService('subgraphs/posts/src/main.ts', { POSTS_DATABASE_URL: unreachable, PORT: String(taken) });
    expect(posts.code).toBe(1);
    expect(posts.output.trim()).toBe(
      `The posts subgraph cannot listen on 127.0.0.1:${taken}: the port is taken. Set PORT to another port (0 picks a free one), or stop what holds it.`,
    );
    const gateway = await runService('gateway/src/main.ts', { PORT: String(taken), HOST: '127.0.0.1' });
    expect(gateway.code).toBe(1);
    expect(gateway.output.trim()).toBe(
      `The gateway cannot listen on 127.0.0.1:${taken}: the port is taken. Set PORT to another port (0 picks a free one), or stop what holds it.`,
    );
  }, 60_000);

  it('gives the command that makes signing keys when the users service runs in production without them', async () => {
    const users = await runService('subgraphs/users/src/main.ts', {
      USERS_DATABASE_URL: unreachable,
      PORT: '0',
      NODE_ENV: 'production',
      AUTH_PRIVATE_JWKS: '',
    });
    expect(users.code).toBe(1);
    expect(users.output).toContain('AUTH_PRIVATE_JWKS must be set in production');
    expect(users.output).toContain('Make one with `npm run --silent auth:keygen`');
    expect(users.output).not.toMatch(noStackTrace);
  }, 60_000);
});
