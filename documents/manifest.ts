// The persisted-documents manifests that clients are built with: { "sha256:<hex>": document }, as
// GraphQL Code Generator's client preset writes them (codegen.ts), and the web app's own.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { openDocumentRegistry, type ClientVersion, type DocumentRegistry, type DocumentRegistryOptions } from './registry.ts';

/** The web app's manifest (and docs/api.md's operations/): `npm run codegen` writes it. */
export const WEB_APP_MANIFEST = 'operations/__generated__/persisted-documents.json';

/** The web app as a client of the registry: its name, and the version of this repository's package.json. */
export const WEB_APP_CLIENT: ClientVersion = { name: 'web', version: packageJson.version };

const manifestSchema = z.record(z.string().regex(/^(sha256:)?[0-9a-f]{64}$/, 'must be a sha256 id, sha256:<64 hex digits>'), z.string().min(1));

export async function readManifest(path: string): Promise<Record<string, string>> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new Error(`Cannot read the manifest ${path}: ${(error as Error).message}. Run npm run codegen to write the web app's.`);
  });
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} is not a persisted-documents manifest ({ "sha256:<hex>": document }): ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Publishes the manifests as one client version's set; what `npm run documents:publish` does. */
export async function publishManifests(registry: DocumentRegistry, client: ClientVersion, paths: readonly string[]) {
  const manifest = Object.assign({}, ...(await Promise.all(paths.map(readManifest)))) as Record<string, string>;
  return registry.publish(client, manifest);
}

/** Registers the web app's documents, which it sends by id only: what a start does before its gateway serves it. */
export async function publishWebAppManifest(options: DocumentRegistryOptions) {
  const registry = openDocumentRegistry(options);
  try {
    return await publishManifests(registry, WEB_APP_CLIENT, [WEB_APP_MANIFEST]);
  } finally {
    await registry.close();
  }
}
