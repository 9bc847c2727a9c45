// Finds the PostgreSQL databases the three services use: the configured server when one is
// set, otherwise an embedded PostgreSQL kept under `.data/`, so a fresh machine needs no
// database server. Creates the databases that are missing.
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadEmbeddedPostgres } from './embedded-postgres.ts';
import { SERVICE_NAMES, type ServiceName } from './services.ts';

export type DatabaseUrls = Record<ServiceName, string>;

export interface Databases {
  urls: DatabaseUrls;
  /** Where the databases live, for people reading the start-up output (no password). */
  description: string;
  /** Stops the embedded server, if one was started; a configured server is left alone. */
  stop(): Promise<void>;
}

export interface DatabaseOptions {
  env?: NodeJS.ProcessEnv;
  /** Data directory of the embedded server. */
  embeddedDir?: string;
  embeddedPort?: number;
  log?: (line: string) => void;
}

const EMBEDDED_USER = 'postgres';
// The embedded server listens on 127.0.0.1 only; its password guards nothing else.
const EMBEDDED_PASSWORD = 'postgres';

export function serviceUrlVariable(service: ServiceName): string {
  return `${service.toUpperCase()}_DATABASE_URL`;
}

function databaseUrlOn(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The configured URLs, or undefined when nothing is configured and the embedded server is due. */
export function configuredDatabaseUrls(env: NodeJS.ProcessEnv = process.env): DatabaseUrls | undefined {
  const prefix = env.DATABASE_NAME_PREFIX ?? '';
  const serverUrl = env.DATABASE_URL;
  const perService = SERVICE_NAMES.map((service) => env[serviceUrlVariable(service)]);
  if (!serverUrl && perService.every((url) => !url)) return undefined;
  const urls = {} as DatabaseUrls;
  for (const service of SERVICE_NAMES) {
    const url = env[serviceUrlVariable(service)] ?? (serverUrl && databaseUrlOn(serverUrl, `${prefix}${service}`));
    if (!url) {
      throw new Error(
        `${serviceUrlVariable(service)} is not set. Set DATABASE_URL (one server for all services) ` +
          'or a URL for each service, or none of them to use the embedded PostgreSQL.',
      );
    }
    urls[service] = url;
  }
  return urls;
}

export async function ensureDatabasesExist(urls: DatabaseUrls): Promise<void> {
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
  const { existsSync } = await import('node:fs');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`Creating the embedded PostgreSQL cluster in ${dataDir} (first start only)...`);
    await server.initialise();
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

export async function openDatabases(options: DatabaseOptions = {}): Promise<Databases> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const configured = configuredDatabaseUrls(env);
  if (configured) {
    await ensureDatabasesExist(configured);
    const host = new URL(configured.users).host;
    return { urls: configured, description: `PostgreSQL at ${host}`, stop: async () => {} };
  }
  const dataDir = path.resolve(options.embeddedDir ?? env.EMBEDDED_POSTGRES_DIR ?? '.data/postgres');
  const port = options.embeddedPort ?? Number(env.EMBEDDED_POSTGRES_PORT ?? 54329);
  const server = await startEmbedded(dataDir, port, log);
  const serverUrl = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  const prefix = env.DATABASE_NAME_PREFIX ?? '';
  const urls = Object.fromEntries(
    SERVICE_NAMES.map((service) => [service, databaseUrlOn(serverUrl, `${prefix}${service}`)]),
  ) as DatabaseUrls;
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
