// npm run documents:publish: registers a client version's persisted-documents manifests with the
// registry every gateway reads (Redis at REDIS_URL, else TRUSTED_DOCUMENTS_FILE), or retires one.
import { optionsOrExit } from '#lib/service/startup-errors.ts';
import { publishManifests, WEB_APP_CLIENT, WEB_APP_MANIFEST } from './manifest.ts';
import { clientLabel, openDocumentRegistry, parseClientLabel, registryOptionsFromEnv } from './registry.ts';

const HELP = `Usage: npm run documents:publish -- [manifest.json ...] [--client name] [--version version]
       npm run documents:publish -- --retire name@version

Registers the documents of one client version, from its persisted-documents manifests
({ "sha256:<hex>": document }, as npm run codegen writes them), with the registry that the
gateways read: Redis at REDIS_URL, else the file TRUSTED_DOCUMENTS_FILE
(.data/trusted-documents.json). Publishing adds to the version's set and is idempotent; the
gateways see it within a second, without a restart.

  manifest.json      default: ${WEB_APP_MANIFEST} (the web app's)
  --client name      default: ${WEB_APP_CLIENT.name}
  --version version  default: ${WEB_APP_CLIENT.version} (package.json)
  --retire name@version
                     drops that version's set, and the documents no other version uses
                     (once no user runs that build any more)
  --help             this text`;

const { values, positionals } = optionsOrExit(
  {
    allowPositionals: true,
    options: { client: { type: 'string' }, version: { type: 'string' }, retire: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  },
  'npm run documents:publish',
  HELP,
);

const options = registryOptionsFromEnv();
const registry = openDocumentRegistry(options);
const where = options.redisUrl ? 'Redis' : options.file;
try {
  if (values.retire) {
    const client = parseClientLabel(values.retire);
    const { removed } = await registry.retire(client);
    console.log(`Retired ${clientLabel(client)} from ${where}: ${removed} document(s) no other client version uses were removed.`);
  } else {
    const client = { name: values.client ?? WEB_APP_CLIENT.name, version: values.version ?? WEB_APP_CLIENT.version };
    const manifests = positionals.length ? positionals : [WEB_APP_MANIFEST];
    const { added, unchanged } = await publishManifests(registry, client, manifests);
    console.log(`Published ${clientLabel(client)} to ${where}: ${added} document(s) added, ${unchanged} already registered.`);
  }
} catch (error) {
  console.error(`documents:publish: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await registry.close();
}
