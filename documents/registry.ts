// The trusted-documents registry: the operations each client version was built with, published
// from its persisted-documents manifest ({ sha256 of the body: body }) and read by every gateway
// replica. In Redis when there is one (all replicas share it), else in a JSON file (one host).
//
// Publishing only adds: a client version's set grows, never shrinks, so a build already in
// users' hands keeps working whatever is published after it; publishing the same manifest twice
// changes nothing. A version leaves with `retire`, and a document leaves with the last client
// version that uses it. Readers see changes within `refreshMs`, without a restart.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LRUCache } from 'lru-cache';
import { environment, type EnvironmentSource } from '#lib/service/env.ts';
import { connectedWithin, failFastRedis, FIRST_CONNECTION_WAIT_MS } from '#lib/service/redis.ts';

export interface ClientVersion {
  name: string;
  version: string;
}

export interface RegisteredDocument {
  /** The sha256 (hex) of `body`. */
  id: string;
  body: string;
  /** The client versions whose manifests hold it. */
  clients: ClientVersion[];
}

export interface DocumentRegistry {
  /** Adds the manifest's documents to the client version's set; `added` counts those new to that version. */
  publish(client: ClientVersion, manifest: Record<string, string>): Promise<{ added: number; unchanged: number }>;
  /** Drops a client version's set; `removed` counts the documents no other client version uses (now gone). */
  retire(client: ClientVersion): Promise<{ removed: number }>;
  /** The body of a registered document, as of at most `refreshMs` ago. */
  get(id: string): Promise<string | undefined>;
  list(): Promise<RegisteredDocument[]>;
  close(): Promise<void>;
}

export interface DocumentRegistryOptions {
  /** Keeps the registry in Redis, shared by every gateway replica. */
  redisUrl?: string;
  /** Else keeps it in this JSON file (default `.data/trusted-documents.json`). */
  file?: string;
  /** Namespace of the registry's keys in Redis (default `trusted-documents:`). */
  keyPrefix?: string;
  /** How stale a read may be: a publish or retire elsewhere is seen within this (default 1 s). */
  refreshMs?: number;
}

export const DEFAULT_REGISTRY_FILE = '.data/trusted-documents.json';
const DEFAULT_REGISTRY_KEY_PREFIX = 'trusted-documents:';
const DEFAULT_REFRESH_MS = 1_000;
const REDIS_COMMAND_TIMEOUT_MS = 2_000;

export function documentId(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** `name@version`, how a client version is written on the command line and stored. */
export function clientLabel(client: ClientVersion): string {
  return `${client.name}@${client.version}`;
}

export function parseClientLabel(label: string): ClientVersion {
  const at = label.lastIndexOf('@');
  if (at <= 0 || at === label.length - 1) throw new Error(`"${label}" is not a client version: write it as name@version, e.g. web@1.2.0.`);
  return { name: label.slice(0, at), version: label.slice(at + 1) };
}

/**
 * The hex digest of an id written either way: codegen's manifest and the GraphQL-over-HTTP
 * persisted documents appendix write `sha256:<hex>`, Apollo's `persistedQuery` extension `<hex>`.
 */
export function bareDocumentId(id: string): string {
  return id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
}

/** Refuses a manifest whose ids are not the sha256 of their bodies: the gateway looks documents up by that hash. */
function checkedManifest(manifest: Record<string, string>): [string, string][] {
  return Object.entries(manifest).map(([key, body]) => {
    const id = bareDocumentId(key);
    if (typeof body !== 'string' || documentId(body) !== id) {
      throw new Error(`Manifest entry ${key} is not the sha256 of its document: generate the manifest with hashAlgorithm 'sha256' (npm run codegen).`);
    }
    return [id, body];
  });
}

/** The registry the environment names: Redis at REDIS_URL, else the file TRUSTED_DOCUMENTS_FILE. */
export function registryOptionsFromEnv(source?: EnvironmentSource): DocumentRegistryOptions {
  const env = environment(source);
  return { redisUrl: env.REDIS_URL, file: env.TRUSTED_DOCUMENTS_FILE };
}

export function openDocumentRegistry(options: DocumentRegistryOptions = {}): DocumentRegistry {
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  return options.redisUrl
    ? redisRegistry(options.redisUrl, options.keyPrefix ?? DEFAULT_REGISTRY_KEY_PREFIX, refreshMs)
    : fileRegistry(options.file ?? DEFAULT_REGISTRY_FILE, refreshMs);
}

// ---------------------------------------------------------------------------------------------
// File: { clients: { "name@version": [ids] }, documents: { id: body } }, replaced atomically on
// each write. Readers reload it when its identity (inode, size, mtime) changes.

interface RegistryFile {
  clients: Record<string, string[]>;
  documents: Record<string, string>;
}

function fileRegistry(file: string, refreshMs: number): DocumentRegistry {
  let snapshot: RegistryFile | undefined;
  let identity = '';
  let checkedAt = -Infinity;

  async function load(): Promise<RegistryFile> {
    if (snapshot && Date.now() - checkedAt < refreshMs) return snapshot;
    checkedAt = Date.now();
    const stats = await stat(file).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    });
    const current = stats ? `${stats.ino}:${stats.size}:${stats.mtimeMs}` : 'absent';
    if (!snapshot || current !== identity) {
      snapshot = stats ? (JSON.parse(await readFile(file, 'utf8')) as RegistryFile) : { clients: {}, documents: {} };
      identity = current;
    }
    return snapshot;
  }

  async function save(next: RegistryFile): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`);
    await rename(temporary, file);
    snapshot = undefined; // re-read (and re-stat) on the next call
  }

  async function fresh(): Promise<RegistryFile> {
    checkedAt = -Infinity; // writers always start from the file as it is now
    return structuredClone(await load());
  }

  return {
    async publish(client, manifest) {
      const entries = checkedManifest(manifest);
      const registry = await fresh();
      const ids = new Set(registry.clients[clientLabel(client)]);
      let added = 0;
      for (const [id, body] of entries) {
        registry.documents[id] = body;
        if (!ids.has(id)) added++;
        ids.add(id);
      }
      if (added > 0) {
        registry.clients[clientLabel(client)] = [...ids].sort();
        await save(registry);
      }
      return { added, unchanged: entries.length - added };
    },
    async retire(client) {
      const registry = await fresh();
      const label = clientLabel(client);
      const retired = registry.clients[label];
      if (!retired) return { removed: 0 };
      const clients = Object.fromEntries(Object.entries(registry.clients).filter(([other]) => other !== label));
      const stillUsed = new Set(Object.values(clients).flat());
      const documents = Object.fromEntries(Object.entries(registry.documents).filter(([id]) => stillUsed.has(id)));
      await save({ clients, documents });
      return { removed: Object.keys(registry.documents).length - Object.keys(documents).length };
    },
    async get(id) {
      const { documents } = await load();
      return Object.hasOwn(documents, bareDocumentId(id)) ? documents[bareDocumentId(id)] : undefined;
    },
    async list() {
      return listed(await fresh());
    },
    async close() {},
  };
}

function listed(registry: RegistryFile): RegisteredDocument[] {
  const clientsOf = new Map<string, ClientVersion[]>();
  for (const [label, ids] of Object.entries(registry.clients)) {
    for (const id of ids) clientsOf.set(id, [...(clientsOf.get(id) ?? []), parseClientLabel(label)]);
  }
  return Object.entries(registry.documents)
    .map(([id, body]) => ({ id, body, clients: clientsOf.get(id) ?? [] }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

// ---------------------------------------------------------------------------------------------
// Redis: `<prefix>documents` (hash id → body), `<prefix>clients` (set of name@version) and
// `<prefix>client:<name@version>` (set of ids). Readers keep what they read (found or not) for
// `refreshMs`, so an unknown document costs Redis one lookup per id and period, not one per request.

/** KEYS: clients set, documents hash. ARGV: prefix, retired label. Returns how many documents left. */
const RETIRE_SCRIPT = `
local clientKey = ARGV[1] .. 'client:' .. ARGV[2]
local ids = redis.call('SMEMBERS', clientKey)
redis.call('DEL', clientKey)
redis.call('SREM', KEYS[1], ARGV[2])
local others = redis.call('SMEMBERS', KEYS[1])
local removed = 0
for _, id in ipairs(ids) do
  local used = false
  for _, other in ipairs(others) do
    if redis.call('SISMEMBER', ARGV[1] .. 'client:' .. other, id) == 1 then used = true break end
  end
  if not used then
    redis.call('HDEL', KEYS[2], id)
    removed = removed + 1
  end
end
return removed
`;

function redisRegistry(redisUrl: string, prefix: string, refreshMs: number): DocumentRegistry {
  const redis = failFastRedis(redisUrl, REDIS_COMMAND_TIMEOUT_MS);
  const keys = { documents: `${prefix}documents`, clients: `${prefix}clients`, client: (label: string) => `${prefix}client:${label}` };
  // null remembers "not registered" as well. Past its TTL an entry is still kept, to answer
  // while Redis cannot (a registered document stays registered through an outage).
  const read = new LRUCache<string, { body: string | null }>({ max: 10_000, ttl: Math.max(refreshMs, 1), allowStale: false, noDeleteOnStaleGet: true });
  // The first commands wait for the first connection, briefly; later ones fail at once while Redis is away.
  const firstConnection = connectedWithin(redis, FIRST_CONNECTION_WAIT_MS).catch(() => {});

  async function connected(): Promise<void> {
    await firstConnection;
    if (redis.status !== 'ready') throw new Error(`The trusted-documents registry's Redis is ${redis.status}.`);
  }

  return {
    async publish(client, manifest) {
      const entries = checkedManifest(manifest);
      if (entries.length === 0) return { added: 0, unchanged: 0 };
      await connected();
      const label = clientLabel(client);
      const results = await redis
        .multi()
        .hset(keys.documents, Object.fromEntries(entries))
        .sadd(
          keys.client(label),
          entries.map(([id]) => id),
        )
        .sadd(keys.clients, label)
        .exec();
      const [error, added] = results?.[1] ?? [new Error('The publish transaction was discarded.'), 0];
      if (error) throw error;
      return { added: Number(added), unchanged: entries.length - Number(added) };
    },
    async retire(client) {
      await connected();
      const removed = await redis.eval(RETIRE_SCRIPT, 2, keys.clients, keys.documents, prefix, clientLabel(client));
      return { removed: Number(removed) };
    },
    async get(anyId) {
      const id = bareDocumentId(anyId);
      const cached = read.get(id);
      if (cached) return cached.body ?? undefined;
      try {
        await connected();
        const body = await redis.hget(keys.documents, id);
        read.set(id, { body });
        return body ?? undefined;
      } catch (error) {
        const stale = read.get(id, { allowStale: true });
        if (stale) return stale.body ?? undefined;
        throw error;
      }
    },
    async list() {
      await connected();
      const [documents, labels] = await Promise.all([redis.hgetall(keys.documents), redis.smembers(keys.clients)]);
      const clients = Object.fromEntries(await Promise.all(labels.map(async (label) => [label, await redis.smembers(keys.client(label))] as const)));
      return listed({ clients, documents });
    },
    async close() {
      redis.disconnect();
    },
  };
}
