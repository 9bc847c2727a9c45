// `npm start` on a machine with no database configured: embedded PostgreSQL created from
// nothing, migrated and seeded; the federated query answered; SIGTERM leaves no process behind.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUBGRAPHS } from '../../subgraphs/manifest.ts';
import { postGraphQL } from '../../test/graphql.ts';
import { startProcess } from '../../test/start-process.ts';

const dataDir = path.resolve('.data/start-e2e/postgres');

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.destroy() && resolve(true));
    socket.once('error', () => resolve(false));
  });
}

afterAll(() => rm(path.dirname(dataDir), { recursive: true, force: true }));

describe('npm start on the embedded default', () => {
  it('starts from nothing, serves the federated query, and stops everything on SIGTERM', async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
    const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_POSTGRES_DIR: dataDir };
    for (const name of ['DATABASE_URL', ...SUBGRAPHS.map((subgraph) => subgraph.env.databaseUrl), 'DATABASE_NAME_PREFIX', 'EMBEDDED_POSTGRES_PORT']) {
      delete env[name];
    }
    const server = await startProcess(env);
    const { child, exited } = server;
    const output = server.output();
    const gatewayUrl = server.urlOf('GraphQL gateway');
    expect(output).toContain('Creating the embedded PostgreSQL cluster');
    expect(output).toMatch(/Seeded in/);
    const pgPort = Number(/on embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(output)?.[1]);

    // Orders are their owner's or an admin's: sign in as the demo admin first, as a user would.
    const signIn = await postGraphQL(
      gatewayUrl,
      'mutation ($input: LogInInput!) { logIn(input: $input, delivery: BODY) { accessToken user { email role } } }',
      { input: { email: 'ada@example.com', password: 'demo-password' } },
    );
    expect(signIn.body.data!.logIn.user).toEqual({ email: 'ada@example.com', role: 'ADMIN' });
    const { body } = await postGraphQL(
      gatewayUrl,
      `{ users(first: 3) { edges { node { name posts(first: 2) { edges { node { title comments(first: 2) { totalCount } } } }
        orders(first: 2) { totalCount } } } } }`,
      {},
      { authorization: `Bearer ${signIn.body.data!.logIn.accessToken}` },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.users.edges).toHaveLength(3);
    expect(await portAnswers(pgPort)).toBe(true);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await portAnswers(pgPort)).toBe(false);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
  }, 150_000);
});
