// Where `npm run schema:check` and `npm run schema:usage` find the documents clients send: every
// client version published to the trusted-documents registry (Redis or the file, as the gateway is
// configured), and this working tree's own manifest as the version about to ship. The manifest
// always counts, published or not: it is what the next build sends, and in a clean clone (CI) with
// no registry it is all there is.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifest, WEB_APP_CLIENT, WEB_APP_MANIFEST } from '../documents/manifest.ts';
import {
  bareDocumentId,
  clientLabel,
  DEFAULT_REGISTRY_FILE,
  openDocumentRegistry,
  registryOptionsFromEnv,
  type ClientVersion,
  type DocumentRegistryOptions,
  type RegisteredDocument,
} from '../documents/registry.ts';
import { REPO_ROOT } from '../subgraphs/manifest.ts';
import { mergeDocuments } from './registered-operations.ts';

export interface DocumentSources {
  registry: DocumentRegistryOptions;
  /** The working tree's persisted-documents manifest ({ "sha256:<hex>": document }) and the client version it is. */
  manifest: { file: string; client: ClientVersion };
}

export interface ReadDocuments {
  documents: RegisteredDocument[];
  /** Where they came from, for a reader: how many from the registry, how many from the manifest. */
  summary: string;
}

export class RegistryUnreadable extends Error {}

/** The registry the gateway is configured with (REDIS_URL, else TRUSTED_DOCUMENTS_FILE), and the web app's manifest as web@<package.json version>. */
export function configuredDocumentSources(): DocumentSources {
  return { registry: registryOptionsFromEnv(), manifest: { file: fileURLToPath(new URL(WEB_APP_MANIFEST, REPO_ROOT)), client: WEB_APP_CLIENT } };
}

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
  const local = existsSync(manifest.file)
    ? Object.entries(await readManifest(manifest.file)).map(([id, body]) => ({ id: bareDocumentId(id), body, clients: [manifest.client] }))
    : undefined;
  const file = relative(fileURLToPath(REPO_ROOT), manifest.file);
  const summary =
    `Registered operations: ${published.length} document${published.length === 1 ? '' : 's'} in the registry (${where}), ` +
    (local ? `${local.length} in the working tree's ${file} (as ${clientLabel(manifest.client)}).` : `and no ${file} in the working tree.`);
  return { documents: mergeDocuments(published, local ?? []), summary };
}
