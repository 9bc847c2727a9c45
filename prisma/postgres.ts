// Finds the PostgreSQL databases the subgraphs use (one each, as subgraphs/manifest.ts lists them): the configured server when one is
// set, otherwise an embedded PostgreSQL kept under `.data/`, so a fresh machine needs no
// database server. Creates the databases that are missing.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { environment, subgraphDatabaseUrl, type EnvironmentSource } from '#lib/service/env.ts';
import { loadEmbeddedPostgres } from './embedded-postgres.ts';
import { SUBGRAPHS, type SubgraphEntry, type SubgraphName } from '../subgraphs/manifest.ts';

/** Each subgraph's database URL, by subgraph name. */
export type DatabaseUrls<Name extends string = SubgraphName> = Record<Name, string>;

export interface Databases<Name extends string = SubgraphName> {
  urls: DatabaseUrls<Name>;
  /** Where the databases live, for people reading the start-up output (no password). */
  description: string;
  /** Stops the embedded server, if one was started; a configured server is left alone. */
  stop(): Promise<void>;
}

export interface DatabaseOptions {
  /** Default: process.env. */
  env?: EnvironmentSource;
  /** Data directory of the embedded server. */
  embeddedDir?: string;
  /** Port of the embedded server; 0 picks the first free one from FIRST_EMBEDDED_PORT. Default: EMBEDDED_POSTGRES_PORT, else 0. */
  embeddedPort?: number;
  log?: (line: string) => void;
}

// Below every system's ephemeral port range (Linux 32768–60999, Windows and macOS 49152–65535):
// there an outgoing connection can hold a port for a moment, and PostgreSQL then fails to bind it.
const FIRST_EMBEDDED_PORT = 15432;
const PORTS_TRIED = 100;

const EMBEDDED_USER = 'postgres';
// The embedded server listens on 127.0.0.1 only; its password guards nothing else.
const EMBEDDED_PASSWORD = 'postgres';

/** The URL of `database` on the server of `serverUrl`. */
export function databaseUrlOn(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The configured URLs, or undefined when nothing is configured and the embedded server is due. */
export function configuredDatabaseUrls<Extra extends string = never>(
  source?: EnvironmentSource,
  subgraphs: readonly SubgraphEntry<SubgraphName | Extra>[] = SUBGRAPHS,
): DatabaseUrls<SubgraphName | Extra> | undefined {
  const env = environment(source);
  const serverUrl = env.DATABASE_URL;
  const perService = subgraphs.map((subgraph) => subgraphDatabaseUrl(subgraph.env.databaseUrl, source));
  if (!serverUrl && perService.every((url) => !url)) return undefined;
  const urls = {} as DatabaseUrls<SubgraphName | Extra>;
  for (const [index, subgraph] of subgraphs.entries()) {
    const url = perService[index] ?? (serverUrl && databaseUrlOn(serverUrl, `${env.DATABASE_NAME_PREFIX}${subgraph.database}`));
    if (!url) {
      throw new Error(
        `${subgraph.env.databaseUrl} is not set. Set DATABASE_URL (one server for all services) ` +
          'or a URL for each service, or none of them to use the embedded PostgreSQL.',
      );
    }
    urls[subgraph.name] = url;
  }
  return urls;
}

/** The environment that gives each subgraph its database: USERS_DATABASE_URL and the others. */
export function databaseUrlEnv(urls: Readonly<Record<string, string>>, subgraphs: readonly SubgraphEntry[] = SUBGRAPHS): Record<string, string> {
  return Object.fromEntries(
    subgraphs.map((subgraph) => {
      const url = urls[subgraph.name];
      if (!url) throw new Error(`No database URL for the ${subgraph.name} subgraph.`);
      return [subgraph.env.databaseUrl, url];
    }),
  );
}

export async function ensureDatabasesExist(urls: Readonly<Record<string, string>>): Promise<void> {
  for (const url of Object.values(urls)) {
    const database = decodeURIComponent(new URL(url).pathname.slice(1));
    const admin = new pg.Client({ connectionString: databaseUrlOn(url, 'postgres') });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (!rowCount) await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
    } catch (error) {
      // Two processes may race to create the same database; the loser sees it exist.
      if ((error as { code?: string }).code !== '42P04') throw error;
    } finally {
      await admin.end();
    }
  }
}

/** The embedded server's port from `name` (npm start's, or the tests'), or undefined when it is unset. */
export function portSetting(source: EnvironmentSource | undefined, name: 'EMBEDDED_POSTGRES_PORT' | 'TEST_EMBEDDED_POSTGRES_PORT'): number | undefined {
  return environment(source)[name];
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1' }, () => probe.close(() => resolve(true)));
  });
}

/** The port the embedded server will listen on: `requested`, or the first free one from FIRST_EMBEDDED_PORT for 0. */
async function embeddedPortToUse(requested: number): Promise<number> {
  if (requested !== 0) {
    if (await portIsFree(requested)) return requested;
    throw new Error(
      `Port ${requested} on 127.0.0.1 is in use by another program, so the embedded PostgreSQL cannot listen there. ` +
        'Stop that program, or choose another port: EMBEDDED_POSTGRES_PORT for npm start and db:*, ' +
        'TEST_EMBEDDED_POSTGRES_PORT for the tests (0 picks a free one).',
    );
  }
  for (let port = FIRST_EMBEDDED_PORT; port < FIRST_EMBEDDED_PORT + PORTS_TRIED; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new Error(
    `No free port for the embedded PostgreSQL on 127.0.0.1 between ${FIRST_EMBEDDED_PORT} and ` +
      `${FIRST_EMBEDDED_PORT + PORTS_TRIED - 1}; set EMBEDDED_POSTGRES_PORT (TEST_EMBEDDED_POSTGRES_PORT for the tests).`,
  );
}

async function startEmbedded(dataDir: string, port: number, log: (line: string) => void) {
  await mkdir(path.dirname(dataDir), { recursive: true });
  // Loaded only when used: it hooks the process's exit signals as soon as it is imported.
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // Its server log, kept for the error message when it does not start (it rejects with nothing).
  const recentLog: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => {
      recentLog.push(message.trim());
      if (recentLog.length > 20) recentLog.shift();
    },
    onError: (message) => log(`embedded PostgreSQL: ${String(message)}`),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`Creating the embedded PostgreSQL cluster in ${dataDir} (first start only)...`);
    await server.initialise();
    // The server's own lines, not the cluster creation's, explain a failed start.
    recentLog.length = 0;
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} did not start on port ${port}` +
        (error instanceof Error ? `: ${error.message}` : '') +
        `. Its last log lines:\n${recentLog.join('\n') || '(none)'}`,
    );
  }
  return server;
}

/** Opens the databases of the manifest's subgraphs, and of any others a test passes (`subgraphs`). */
export async function openDatabases<Extra extends string = never>(
  options: DatabaseOptions = {},
  subgraphs: readonly SubgraphEntry<SubgraphName | Extra>[] = SUBGRAPHS,
): Promise<Databases<SubgraphName | Extra>> {
  const env = environment(options.env);
  const log = options.log ?? (() => {});
  const configured = configuredDatabaseUrls(options.env, subgraphs);
  if (configured) {
    await ensureDatabasesExist(configured);
    const host = new URL(configured[subgraphs[0]!.name]).host;
    return { urls: configured, description: `PostgreSQL at ${host}`, stop: async () => {} };
  }
  const dataDir = path.resolve(options.embeddedDir ?? env.EMBEDDED_POSTGRES_DIR);
  const port = await embeddedPortToUse(options.embeddedPort ?? env.EMBEDDED_POSTGRES_PORT ?? 0);
  const server = await startEmbedded(dataDir, port, log);
  const serverUrl = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  const urls = Object.fromEntries(
    subgraphs.map((subgraph) => [subgraph.name, databaseUrlOn(serverUrl, `${env.DATABASE_NAME_PREFIX}${subgraph.database}`)]),
  ) as DatabaseUrls<SubgraphName | Extra>;
  try {
    await ensureDatabasesExist(urls);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    urls,
    description: `embedded PostgreSQL on 127.0.0.1:${port} (data in ${path.relative(process.cwd(), dataDir) || dataDir})`,
    stop: () => server.stop(),
  };
}
