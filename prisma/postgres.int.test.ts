// The embedded PostgreSQL's port: never one the system may lend to an outgoing connection for a
// moment (Linux: 32768–60999), a free one when none is set, and a clear error when a set one is taken.
// A server already running on its data directory (npm start's) is joined by the db:* commands only.
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabases } from './postgres.ts';

const dataDir = path.resolve('.data/postgres-port-test');

/** Listens on 127.0.0.1:`port` (0: any), as another program would; undefined when it is taken already. */
async function holdPort(port: number): Promise<net.Server | undefined> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('the embedded PostgreSQL port', () => {
  it('is the first free one from 15432 when none is set, below the ephemeral range', async () => {
    const firstPortHolder = await holdPort(15432);
    try {
      const databases = await openDatabases({ env: {}, embeddedDir: dataDir });
      try {
        const port = Number(new URL(databases.urls.users).port);
        expect(port).toBeGreaterThan(15432);
        expect(port).toBeLessThan(32768);
        const client = new pg.Client({ connectionString: databases.urls.users });
        await client.connect();
        await client.end();
      } finally {
        await databases.stop();
      }
    } finally {
      firstPortHolder?.close();
    }
  }, 60_000);

  it('when set and taken, stops the start with a message that says which setting to change', async () => {
    const holder = (await holdPort(0))!;
    const { port } = holder.address() as net.AddressInfo;
    try {
      await expect(openDatabases({ env: { EMBEDDED_POSTGRES_PORT: String(port) }, embeddedDir: dataDir })).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is in use by another program, so the embedded PostgreSQL cannot listen there. ` +
          'Stop that program, or choose another port: EMBEDDED_POSTGRES_PORT for npm start and db:*, ' +
          'TEST_EMBEDDED_POSTGRES_PORT for the tests (0 picks a free one).',
      );
    } finally {
      holder.close();
    }
  });

  it('refuses a setting that is not a port', async () => {
    await expect(openDatabases({ env: { EMBEDDED_POSTGRES_PORT: 'fifteen' }, embeddedDir: dataDir })).rejects.toThrow(
      'EMBEDDED_POSTGRES_PORT must be a port number between 0 and 65535, 0 for any free one (got "fifteen").',
    );
  });
});

describe('an embedded server that already runs on the data directory', () => {
  it('is joined by the db:* commands and left running; anything else is told who holds it', async () => {
    const running = await openDatabases({ env: {}, embeddedDir: dataDir });
    try {
      const port = new URL(running.urls.users).port;
      await expect(openDatabases({ env: {}, embeddedDir: dataDir })).rejects.toThrow(
        new RegExp(`^The embedded PostgreSQL in .+ is already running \\(pid \\d+, port ${port}\\) for another command`),
      );
      const joined = await openDatabases({ env: {}, embeddedDir: dataDir, joinRunningServer: true });
      expect(joined.urls).toEqual(running.urls);
      await joined.stop();
      const client = new pg.Client({ connectionString: running.urls.users });
      await client.connect();
      await client.end();
    } finally {
      await running.stop();
    }
  }, 60_000);
});
