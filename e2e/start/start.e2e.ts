// `npm start` on a fresh clone with no database configured: the embedded PostgreSQL created from
// nothing, migrated and seeded; the API served while the web app is still being built, the page
// once it is; a second start told where the first one is; db:migrate and db:seed run beside it on
// its embedded PostgreSQL; SIGTERM leaves no process behind; a record left by a crash is ignored.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningStartFile } from '../../scripts/running-start.ts';
import { postGraphQL } from '../../test/graphql.ts';
import { copyRepository, type RepositoryCopy } from '../../test/repo-copy.ts';
import { embeddedDatabaseEnv, failedStart, startProcess, type StartedProcess } from '../../test/start-process.ts';

let clone: RepositoryCopy;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let server: StartedProcess | undefined;

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.destroy() && resolve(true));
    socket.once('error', () => resolve(false));
  });
}

/** An npm script's command (`node --import tsx <file>`) in the clone: its exit code and output. */
function runInClone(file: string, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: clone.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

async function signInAsAdmin(gatewayUrl: string): Promise<string> {
  const signIn = await postGraphQL(gatewayUrl, 'mutation ($input: LogInInput!) { logIn(input: $input, delivery: BODY) { accessToken user { email role } } }', {
    input: { email: 'ada@example.com', password: 'demo-password' },
  });
  expect(signIn.body.data!.logIn.user).toEqual({ email: 'ada@example.com', role: 'ADMIN' });
  return signIn.body.data!.logIn.accessToken;
}

beforeAll(async () => {
  clone = await copyRepository('start-e2e');
  dataDir = path.join(clone.dir, '.data/postgres');
  env = embeddedDatabaseEnv(dataDir);
});

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await clone?.remove();
});

describe('npm start on a fresh clone, on the embedded default', () => {
  it('creates and seeds its database, and serves the API before the web app is built', async () => {
    server = await startProcess(env, [], 150_000, { cwd: clone.dir });
    const output = server.output();
    expect(output).toContain('Building the web app in the background (web/dist is missing)');
    expect(output).toContain('Creating the embedded PostgreSQL cluster');
    expect(output).toMatch(/Seeded in/);
    expect(output).toMatch(/Ready in [\d.]+ s, on embedded PostgreSQL on 127\.0\.0\.1:\d+/);
    expect(output).toContain('  Web app          being built; its address follows once it is served');

    // Orders are their owner's or an admin's: sign in as the demo admin first, as a user would.
    const gatewayUrl = server.urlOf('GraphQL gateway');
    const { body } = await postGraphQL(
      gatewayUrl,
      `{ users(first: 3) { edges { node { name posts(first: 2) { edges { node { title comments(first: 2) { totalCount } } } }
        orders(first: 2) { totalCount } } } } }`,
      {},
      { authorization: `Bearer ${await signInAsAdmin(gatewayUrl)}` },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.users.edges).toHaveLength(3);
  }, 180_000);

  it('tells a second npm start there where the first one serves, instead of failing on the database', async () => {
    const second = await failedStart(env, { cwd: clone.dir });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`npm start is already running here (pid ${server!.child.pid}), on embedded PostgreSQL on 127.0.0.1:`);
    expect(second.output).toContain(`  GraphQL gateway  ${server!.urlOf('GraphQL gateway')}`);
    expect(second.output).toContain(`\`kill ${server!.child.pid}\``);
    expect(second.output).not.toContain('lock file');
  }, 60_000);

  it('lets npm run db:migrate and db:seed work beside it, on its embedded PostgreSQL', async () => {
    const migrate = await runInClone('prisma/migrate-cli.ts');
    expect(migrate.output).toContain('Using the embedded PostgreSQL already running on 127.0.0.1:');
    expect(migrate.output).toMatch(/users: up to date\nposts: up to date\norders: up to date/);
    expect(migrate.code).toBe(0);
    const check = await runInClone('prisma/migrate-cli.ts', ['--check']);
    expect(check.output).toContain('posts: schema.prisma and migrations agree.');
    expect(check.code).toBe(0);
    const seed = await runInClone('prisma/seed-cli.ts');
    expect(seed.output).toContain('The databases already hold data; nothing seeded.');
    expect(seed.code).toBe(0);
    // And left it running.
    const { body } = await postGraphQL(server!.urlOf('GraphQL gateway'), '{ posts(first: 1) { totalCount } }');
    expect(body.errors).toBeUndefined();
  }, 120_000);

  it('serves the web app once it is built', async () => {
    // Its line follows either way: built, or not served, with the build's errors before it.
    await server!.waitFor(/\nWeb app( built in [\d.]+ s)?:\n/, 240_000);
    expect(server!.output()).toMatch(/\nWeb app built in [\d.]+ s:\n {2}Web app {10}http:\/\/\S+/);
    const page = await fetch(server!.urlOf('Web app'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  }, 250_000);

  it('stops everything on SIGTERM, its record and the embedded PostgreSQL included', async () => {
    const pgPort = Number(/on embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(server!.output())?.[1]);
    expect(await portAnswers(pgPort)).toBe(true);
    expect(existsSync(runningStartFile(dataDir))).toBe(true);
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    expect(await portAnswers(pgPort)).toBe(false);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
    expect(existsSync(runningStartFile(dataDir))).toBe(false);
  }, 60_000);

  it('starts over the record a crashed start left behind', async () => {
    const record = runningStartFile(dataDir);
    const stale = { pid: 2 ** 22 + 1, databases: 'embedded PostgreSQL', services: [{ label: 'GraphQL gateway', url: 'http://127.0.0.1:1/graphql' }] };
    writeFileSync(record, JSON.stringify(stale));
    server = await startProcess(env, ['--no-web'], 90_000, { cwd: clone.dir });
    expect(JSON.parse(readFileSync(record, 'utf8')).pid).toBe(server.child.pid);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = undefined;
  }, 120_000);
});
