// Prisma's schema engine compiled to WebAssembly, driven through the pg driver adapter.
// The Prisma CLI downloads a native engine at run time; this needs no download, so migrations
// work offline and in CI. It applies the same `migrations/` folders, recorded in the same
// `_prisma_migrations` table, as `prisma migrate deploy`.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine as Engine } from '@prisma/schema-engine-wasm';
import { SUBGRAPHS, type SubgraphEntry } from '../subgraphs/manifest.ts';
import { migrationsDir, schemaPath } from './layout.ts';

const require = createRequire(import.meta.url);
type EngineModule = typeof import('@prisma/schema-engine-wasm');
// Node has WebAssembly; TypeScript's ES libraries do not declare it.
const webAssembly = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }> };
  }
).WebAssembly;
let lastPanicMessage: string | undefined;
let engineModule: Promise<EngineModule> | undefined;

/**
 * Instantiates the engine's WebAssembly by hand, as its own `schema_engine.js` would through
 * `import './schema_engine_bg.wasm'`, which on Node 20 needs --experimental-wasm-modules.
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    // Where the engine's Rust panics leave their message (the Prisma CLI sets the same global).
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: object }).PRISMA_WASM_PANIC_REGISTRY = {
      set_message: (message: string) => {
        lastPanicMessage = message;
      },
    };
    const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmFile = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const { instance } = await webAssembly.instantiate(await readFile(wasmFile), { './schema_engine_bg.js': bindings });
    (bindings as unknown as { __wbg_set_wasm(exports: object): void }).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return engineModule;
}

async function schemaFile(subgraph: SubgraphEntry) {
  const file = schemaPath(subgraph);
  return { path: file, content: await readFile(file, 'utf8') };
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
interface QueryResultFields {
  fields: { dataTypeID: number }[];
}

/**
 * The engine reads PostgreSQL's catalogs to compare schemas, and some catalog columns have the
 * internal one-byte type "char", which the pg adapter refuses ("Column type 'char' could not be
 * deserialized"). node-postgres already hands those values over as strings, so they are
 * relabelled as text before the adapter maps the column types.
 */
function readCharColumnsAsText<Adapter extends SqlDriverAdapter>(adapter: Adapter): Adapter {
  const io = adapter as unknown as { performIO(query: unknown): Promise<QueryResultFields> };
  const performIO = io.performIO.bind(adapter);
  io.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return adapter;
}

async function onServer(config: pg.PoolConfig, sql: string) {
  const client = new pg.Client({ ...config, database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A temporary database where the engine replays the migrations. The pg adapter's own version
 * drops the database before closing its pool (so the drop fails and the database is left
 * behind) and ignores `database` when given a connection string; this one closes first.
 */
async function connectToShadowDatabase(config: pg.PoolConfig): Promise<SqlDriverAdapter> {
  const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
  await onServer(config, `CREATE DATABASE "${name}"`);
  const shadow = readCharColumnsAsText(await new PrismaPg({ ...config, database: name }).connect());
  const closePool = shadow.dispose.bind(shadow);
  shadow.dispose = async () => {
    await closePool();
    await onServer(config, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
  return shadow;
}

/**
 * Runs `work` with a schema engine connected to the database. The engine holds Prisma's
 * migration advisory lock on a pooled connection and does not close it when freed; closing
 * it here releases the lock at once (an idle pool would keep other processes waiting).
 */
async function withSchemaEngine<T>(subgraph: SubgraphEntry, databaseUrl: string, work: (engine: Engine) => Promise<T>) {
  const { SchemaEngine } = await loadEngineModule();
  const schema = await schemaFile(subgraph);
  const config = parseIntoClientConfig(databaseUrl) as pg.PoolConfig;
  const factory = new PrismaPg(config);
  const connections: SqlDriverAdapter[] = [];
  const trackingFactory: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const connection = await factory.connect();
      connections.push(connection);
      return connection;
    },
    connectToShadowDb: () => connectToShadowDatabase(config),
  };
  const engine = await SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, () => {}, bindMigrationAwareSqlAdapterFactory(trackingFactory));
  try {
    return await work(engine);
  } catch (error) {
    if (!lastPanicMessage) throw error;
    const message = lastPanicMessage;
    lastPanicMessage = undefined;
    throw new Error(`Prisma's schema engine crashed: ${message}`, { cause: error });
  } finally {
    engine.free();
    await Promise.all(connections.map((connection) => connection.dispose()));
  }
}

/** The committed migrations, listed exactly as the Prisma CLI lists them (names relative to `baseDir`). */
export async function migrationList(subgraph: SubgraphEntry): Promise<MigrationList> {
  const baseDir = migrationsDir(subgraph);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return {
    baseDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: await readFile(path.join(baseDir, 'migration_lock.toml'), 'utf8').catch(() => null),
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(baseDir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

const noFilter = { externalTables: [], externalEnums: [] };

/** Applies the committed migrations that the database has not seen yet; returns their names. */
export async function applyMigrations(subgraph: SubgraphEntry, databaseUrl: string): Promise<string[]> {
  const migrationsList = await migrationList(subgraph);
  return withSchemaEngine(subgraph, databaseUrl, async (engine) => {
    const output = await engine.applyMigrations({ migrationsList, filters: noFilter });
    return output.appliedMigrationNames;
  });
}

/** Applies every subgraph's pending migrations to its database; returns the names applied, by subgraph. */
export async function migrateDatabases(
  urls: Readonly<Record<string, string>>,
  subgraphs: readonly SubgraphEntry[] = SUBGRAPHS,
): Promise<Record<string, string[]>> {
  const applied: Record<string, string[]> = {};
  for (const subgraph of subgraphs) {
    const url = urls[subgraph.name];
    if (!url) throw new Error(`No database URL for the ${subgraph.name} subgraph.`);
    applied[subgraph.name] = await applyMigrations(subgraph, url);
  }
  return applied;
}

/**
 * The SQL that takes a database built by the committed migrations to `schema.prisma`; empty
 * when they agree. The engine replays the migrations in a temporary shadow database on the
 * server of `databaseUrl` (created and dropped by the pg adapter).
 */
export async function pendingSchemaChangeSql(subgraph: SubgraphEntry, databaseUrl: string): Promise<string> {
  const migrations = await migrationList(subgraph);
  const schema = await schemaFile(subgraph);
  return withSchemaEngine(subgraph, databaseUrl, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrations },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      // Exit code 2 marks a non-empty diff; an empty one still prints a comment.
      exitCode: true,
      filters: noFilter,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  });
}

// What `prisma migrate dev` writes beside a first migration; the stock CLI refuses a folder without it.
const MIGRATION_LOCK = `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "postgresql"
`;

/**
 * Writes the SQL that takes the committed migrations to `schema.prisma` as a new migration,
 * `migrations/<timestamp>_<name>/migration.sql` (and the lock file before a first one); returns its
 * folder, or undefined when there was nothing to write.
 */
export async function writeMigration(subgraph: SubgraphEntry, databaseUrl: string, name: string): Promise<string | undefined> {
  // The engine reads the provider from the lock file even to diff against no migrations at all.
  await mkdir(migrationsDir(subgraph), { recursive: true });
  await writeFile(path.join(migrationsDir(subgraph), 'migration_lock.toml'), MIGRATION_LOCK, { flag: 'wx' }).catch((error: unknown) => {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  });
  const sql = await pendingSchemaChangeSql(subgraph, databaseUrl);
  if (!sql.trim()) return undefined;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(migrationsDir(subgraph), `${stamp}_${name}`);
  await mkdir(dir);
  await writeFile(path.join(dir, 'migration.sql'), sql);
  return dir;
}
