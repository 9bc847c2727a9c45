// Prisma's schema engine compiled to WebAssembly, driven through the pg driver adapter.
// The Prisma CLI downloads a native engine at run time; this needs no download, so migrations
// work offline and in CI. It applies the same `migrations/` folders, recorded in the same
// `_prisma_migrations` table, as `prisma migrate deploy`.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine as Engine } from '@prisma/schema-engine-wasm';
import { migrationsDir, schemaPath, type ServiceName } from './services.ts';

const require = createRequire(import.meta.url);
type EngineModule = typeof import('@prisma/schema-engine-wasm');
// Node has WebAssembly; TypeScript's ES libraries do not declare it.
const webAssembly = (globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }> };
}).WebAssembly;
let engineModule: Promise<EngineModule> | undefined;

/**
 * Instantiates the engine's WebAssembly by hand, as its own `schema_engine.js` would through
 * `import './schema_engine_bg.wasm'`, which on Node 20 needs --experimental-wasm-modules.
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmFile = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const { instance } = await webAssembly.instantiate(await readFile(wasmFile), { './schema_engine_bg.js': bindings });
    (bindings as unknown as { __wbg_set_wasm(exports: object): void }).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings as unknown as EngineModule;
  })();
  return engineModule;
}

async function schemaFile(service: ServiceName) {
  const file = schemaPath(service);
  return { path: file, content: await readFile(file, 'utf8') };
}

export async function openSchemaEngine(service: ServiceName, databaseUrl: string): Promise<Engine> {
  const { SchemaEngine } = await loadEngineModule();
  const schema = await schemaFile(service);
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl, allowExitOnIdle: true }));
  const log = () => {};
  return SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, log, adapter);
}

/** The committed migrations, listed exactly as the Prisma CLI lists them (names relative to `baseDir`). */
export async function migrationList(service: ServiceName): Promise<MigrationList> {
  const baseDir = migrationsDir(service);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
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
export async function applyMigrations(service: ServiceName, databaseUrl: string): Promise<string[]> {
  const engine = await openSchemaEngine(service, databaseUrl);
  try {
    const output = await engine.applyMigrations({ migrationsList: await migrationList(service), filters: noFilter });
    return output.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that takes a database built by the committed migrations to `schema.prisma`; empty
 * when they agree. The engine replays the migrations in a temporary shadow database on the
 * server of `databaseUrl` (created and dropped by the pg adapter).
 */
export async function pendingSchemaChangeSql(service: ServiceName, databaseUrl: string): Promise<string> {
  const engine = await openSchemaEngine(service, databaseUrl);
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await migrationList(service)) },
      to: { tag: 'schemaDatamodel', files: [await schemaFile(service)] },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}
