// Finds the PostgreSQL databases the subgraphs use (one each, as subgraphs/manifest.ts lists them): the configured server when one is
// set, otherwise an embedded PostgreSQL kept under `.data/`, so a fresh machine needs no
// database server. Creates the databases that are missing.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { environment, subgraphDatabaseUrl, type EnvironmentSource } from '#lib/service/env.ts';
import { listenProblem } from '#lib/service/ports.ts';
import { StartupError } from '#lib/service/startup-errors.ts';
import { embeddedServerInUseMessage, unreachableDatabaseMessage } from './database-errors.ts';
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
  /**
   * Use the embedded server when it already runs (npm start's), and leave it running; otherwise a
   * running one is refused, since its owner would stop it under this process. For the db:* commands.
   */
  joinRunningServer?: boolean;
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

export interface ConfiguredDatabases<Name extends string = SubgraphName> {
  urls: DatabaseUrls<Name>;
  /** The variable each URL came from: DATABASE_URL or the subgraph's own. */
  variables: Record<Name, string>;
  /** Every database variable that is set. */
  setVariables: string[];
}

/** The configured URLs, or undefined when nothing is configured and the embedded server is due. */
export function configuredDatabases<Extra extends string = never>(
  source?: EnvironmentSource,
  subgraphs: readonly SubgraphEntry<SubgraphName | Extra>[] = SUBGRAPHS,
): ConfiguredDatabases<SubgraphName | Extra> | undefined {
  const env = environment(source);
  const serverUrl = env.DATABASE_URL;
  const perService = subgraphs.map((subgraph) => subgraphDatabaseUrl(subgraph.env.databaseUrl, source));
  if (!serverUrl && perService.every((url) => !url)) return undefined;
  const configured = { urls: {}, variables: {}, setVariables: serverUrl ? ['DATABASE_URL'] : [] } as ConfiguredDatabases<SubgraphName | Extra>;
  for (const [index, subgraph] of subgraphs.entries()) {
    const own = perService[index];
    const url = own ?? (serverUrl && databaseUrlOn(serverUrl, `${env.DATABASE_NAME_PREFIX}${subgraph.database}`));
    if (!url) {
      throw new StartupError(
        `${subgraph.env.databaseUrl} is not set. Set DATABASE_URL (one server for all services) ` +
          'or a URL for each service, or none of them to use the embedded PostgreSQL.',
      );
    }
    configured.urls[subgraph.name] = url;
    configured.variables[subgraph.name] = own ? subgraph.env.databaseUrl : 'DATABASE_URL';
    if (own) configured.setVariables.push(subgraph.env.databaseUrl);
  }
  return configured;
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

// Long enough for a server across a slow network; short of the system's own TCP timeout (minutes).
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Creates the databases that are missing. `explain` turns a failed connection into the error to
 * throw (one that names where the URL came from).
 */
export async function ensureDatabasesExist(urls: Readonly<Record<string, string>>, explain?: (name: string, error: unknown) => Error): Promise<void> {
  for (const [name, url] of Object.entries(urls)) {
    const database = decodeURIComponent(new URL(url).pathname.slice(1));
    const admin = new pg.Client({ connectionString: databaseUrlOn(url, 'postgres'), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    try {
      await admin.connect();
    } catch (error) {
      throw explain?.(name, error) ?? error;
    }
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

async function portIsFree(port: number): Promise<boolean> {
  return !(await listenProblem(port, '127.0.0.1'));
}

/**
 * The embedded server that runs on `dataDir` now, from the lock file PostgreSQL keeps in it
 * (postmaster.pid: its pid on the first line, its port on the fourth); undefined when none does.
 */
function runningEmbeddedServer(dataDir: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  return processIsAlive(pid) ? { pid, port } : undefined;
}

/** Whether a process with this pid runs (EPERM: it does, as another user; PostgreSQL runs as `postgres` under root). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The port the embedded server will listen on: `requested`, or the first free one from FIRST_EMBEDDED_PORT for 0. */
async function embeddedPortToUse(requested: number): Promise<number> {
  if (requested !== 0) {
    if (await portIsFree(requested)) return requested;
    throw new StartupError(
      `Port ${requested} on 127.0.0.1 is in use by another program, so the embedded PostgreSQL cannot listen there. ` +
        'Stop that program, or choose another port: EMBEDDED_POSTGRES_PORT for npm start and db:*, ' +
        'TEST_EMBEDDED_POSTGRES_PORT for the tests (0 picks a free one).',
    );
  }
  for (let port = FIRST_EMBEDDED_PORT; port < FIRST_EMBEDDED_PORT + PORTS_TRIED; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new StartupError(
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
    await server.initialise().catch((error: unknown) => {
      const message = (error instanceof Error ? error.message : String(error)).trim();
      // /root is such a folder: only root may enter it.
      const asRoot =
        userInfo().uid === 0 && /permission denied/i.test(message)
          ? ' Under root, PostgreSQL runs as the `postgres` user, which must be able to enter every folder above it: ' +
            'set EMBEDDED_POSTGRES_DIR to a folder it can reach (e.g. /var/tmp/postgres), or run as another user.'
          : '';
      throw new StartupError(`Could not create the embedded PostgreSQL cluster in ${dataDir}: ${message}.${asRoot}`, { cause: error });
    });
    // The server's own lines, not the cluster creation's, explain a failed start.
    recentLog.length = 0;
  }
  try {
    await server.start();
  } catch (error) {
    const message =
      `The embedded PostgreSQL in ${dataDir} did not start on port ${port}` +
      (error instanceof Error ? `: ${error.message}` : '') +
      `. Its last log lines:\n${recentLog.join('\n') || '(none)'}`;
    const portTaken = recentLog.some((line) => line.includes('could not bind') && line.includes('Address already in use'));
    throw portTaken ? new EmbeddedPortTaken(message) : new StartupError(message);
  }
  return server;
}

/** The port was free when chosen, and taken when the server bound it: another program started meanwhile. */
class EmbeddedPortTaken extends StartupError {}

/** Starts the embedded server on `requested`, or for 0 on the first free port, then the next free one if another program takes it first. */
async function startEmbeddedOnFreePort(dataDir: string, requested: number, log: (line: string) => void) {
  for (let attempt = 1; ; attempt++) {
    const port = await embeddedPortToUse(requested);
    try {
      return { port, server: await startEmbedded(dataDir, port, log) };
    } catch (error) {
      // Two starts at once (two clusters, or tests in parallel) can both find the same port free.
      if (requested !== 0 || attempt === 5 || !(error instanceof EmbeddedPortTaken)) throw error;
    }
  }
}

/** Opens the databases of the manifest's subgraphs, and of any others a test passes (`subgraphs`). */
export async function openDatabases<Extra extends string = never>(
  options: DatabaseOptions = {},
  subgraphs: readonly SubgraphEntry<SubgraphName | Extra>[] = SUBGRAPHS,
): Promise<Databases<SubgraphName | Extra>> {
  const env = environment(options.env);
  const log = options.log ?? (() => {});
  const embeddedDir = options.embeddedDir ?? env.EMBEDDED_POSTGRES_DIR;
  const configured = configuredDatabases(options.env, subgraphs);
  if (configured) {
    await ensureDatabasesExist(configured.urls, (name, error) => {
      const variable = configured.variables[name as SubgraphName | Extra];
      const url = configured.urls[name as SubgraphName | Extra];
      return new StartupError(unreachableDatabaseMessage({ variable, url, error, setVariables: configured.setVariables, embeddedDir }), { cause: error });
    });
    const host = new URL(configured.urls[subgraphs[0]!.name]).host;
    return { urls: configured.urls, description: `PostgreSQL at ${host}`, stop: async () => {} };
  }
  const dataDir = path.resolve(embeddedDir);
  // Relative to where the command runs when it is under it: `.data/postgres`.
  const relative = path.relative(process.cwd(), dataDir);
  const shownDir = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dataDir;
  const embeddedUrls = (port: number) => {
    const serverUrl = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
    return Object.fromEntries(
      subgraphs.map((subgraph) => [subgraph.name, databaseUrlOn(serverUrl, `${env.DATABASE_NAME_PREFIX}${subgraph.database}`)]),
    ) as DatabaseUrls<SubgraphName | Extra>;
  };
  const running = runningEmbeddedServer(dataDir);
  if (running && !options.joinRunningServer) throw new StartupError(embeddedServerInUseMessage({ dataDir: shownDir, ...running }));
  if (running) {
    log(`Using the embedded PostgreSQL already running on 127.0.0.1:${running.port} (data in ${shownDir}).`);
    const urls = embeddedUrls(running.port);
    await ensureDatabasesExist(urls);
    return { urls, description: `embedded PostgreSQL on 127.0.0.1:${running.port} (data in ${shownDir}), already running`, stop: async () => {} };
  }
  const { port, server } = await startEmbeddedOnFreePort(dataDir, options.embeddedPort ?? env.EMBEDDED_POSTGRES_PORT ?? 0, log);
  const urls = embeddedUrls(port);
  try {
    await ensureDatabasesExist(urls);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    urls,
    description: `embedded PostgreSQL on 127.0.0.1:${port} (data in ${shownDir})`,
    stop: () => server.stop(),
  };
}
