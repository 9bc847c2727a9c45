// Where `npm run schema:check` and `npm run schema:usage` find the documents clients send: every
// client version published to the trusted-documents registry (Redis or the file, as the gateway is
// configured), and this working tree's own manifest as the version about to ship. The manifest
// always counts, published or not: it is what the next build sends, and in a clean clone (CI) with
// no registry it is all there is.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environment } from '#lib/service/env.ts';
import {
  bareDocumentId,
  clientLabel,
  DEFAULT_REGISTRY_FILE,
  openDocumentRegistry,
  type ClientVersion,
  type DocumentRegistryOptions,
  type RegisteredDocument,
} from '../documents/registry.ts';
import { REPO_ROOT } from '../subgraphs/manifest.ts';
import { mergeDocuments } from './registered-operations.ts';

export interface DocumentSources {
  registry: DocumentRegistryOptions;
  /** The working tree's persisted-documents manifest ({ "sha256:<hex>": document }) and the client version it is. */
  manifest: { file: URL; client: ClientVersion };
}

export interface ReadDocuments {
  documents: RegisteredDocument[];
  /** Where they came from, for a reader: how many from the registry, how many from the manifest. */
  summary: string;
}

export class RegistryUnreadable extends Error {}

export async function readRegisteredDocuments({ registry: options, manifest }: DocumentSources): Promise<ReadDocuments> {
  const where = options.redisUrl ? `Redis at ${new URL(options.redisUrl).host}` : (options.file ?? DEFAULT_REGISTRY_FILE);
  const registry = openDocumentRegistry(options);
  let published: RegisteredDocument[];
  try {
    published = await registry.list();
  } catch (error) {
    throw new RegistryUnreadable(`Cannot read the trusted-documents registry (${where}): ${(error as Error).message}`);
  } finally {
    await registry.close();
  }
  const local = manifestDocuments(manifest.file, manifest.client);
  const file = relative(fileURLToPath(REPO_ROOT), fileURLToPath(manifest.file));
  const summary =
    `Registered operations: ${published.length} document${published.length === 1 ? '' : 's'} in the registry (${where}), ` +
    (local ? `${local.length} in the working tree's ${file} (as ${clientLabel(manifest.client)}).` : `and no ${file} in the working tree.`);
  return { documents: mergeDocuments(published, local ?? []), summary };
}

/** The manifest's documents as the given client version's, or undefined when there is no manifest. */
function manifestDocuments(file: URL, client: ClientVersion): RegisteredDocument[] | undefined {
  let json: string;
  try {
    json = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const manifest = JSON.parse(json) as Record<string, string>;
  return Object.entries(manifest).map(([id, body]) => ({ id: bareDocumentId(id), body, clients: [client] }));
}

/** The registry the gateway is configured with (REDIS_URL, else the file), and the web app's manifest as web@<package.json version>. */
export function configuredDocumentSources(): DocumentSources {
  const { version } = JSON.parse(readFileSync(new URL('package.json', REPO_ROOT), 'utf8')) as { version: string };
  return {
    registry: { redisUrl: environment().REDIS_URL },
    manifest: { file: new URL('operations/__generated__/persisted-documents.json', REPO_ROOT), client: { name: 'web', version } },
  };
}
