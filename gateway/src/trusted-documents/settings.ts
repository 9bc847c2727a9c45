// Which documents the gateway runs (docs/trusted-documents.md), and where it reads the registry.
import { environment, isProduction, type EnvironmentSource } from '#lib/service/env.ts';
import { registryOptionsFromEnv, type DocumentRegistryOptions } from '../../../documents/registry.ts';

/**
 * - enforce: only registered documents run (by id, or sent in full); production's default.
 * - log: unregistered documents run, each logged once and counted; the default elsewhere, so that
 *   the explorer, curl and the docs' examples work while the log shows what enforce would refuse.
 * - off: unregistered documents run unremarked.
 * In every mode, a registered id runs its document: the web app sends nothing else.
 */
type TrustedDocumentsMode = 'off' | 'log' | 'enforce';

export interface TrustedDocumentSettings {
  mode: TrustedDocumentsMode;
  /** Under enforce, signed-in admins may still run any document (the explorer, a debugging session). */
  adminAdhoc: boolean;
  /** Where the registry is: Redis (shared by the replicas) when there is a URL, else a file. */
  registry: DocumentRegistryOptions;
}

export function trustedDocumentSettingsFromEnv(source?: EnvironmentSource, redisUrl?: string): TrustedDocumentSettings {
  const env = environment(source);
  return {
    mode: env.TRUSTED_DOCUMENTS ?? (isProduction(source) ? 'enforce' : 'log'),
    adminAdhoc: env.TRUSTED_DOCUMENTS_ADMIN_ADHOC !== 'false',
    registry: { ...registryOptionsFromEnv(source), ...(redisUrl ? { redisUrl } : {}) },
  };
}
