// `npm run schema:check`: see schema-check.ts; this reads the files and git, prints, and exits.
import { resolve } from 'node:path';
import { optionsOrExit } from '#lib/service/startup-errors.ts';
import { REPO_ROOT } from '../subgraphs/manifest.ts';
import { readSubgraphSdls } from './compose.ts';
import { checkSchema, formatSections, readBaseFromGit, readOperations, readOptionalFile, type BaseSchema } from './check.ts';
import { ALLOW_LIST_FILE } from './changes.ts';
import { configuredDocumentSources, readRegisteredDocuments, RegistryUnreadable } from './registered-documents.ts';

const USAGE = `Usage: npm run schema:check [-- --base <git-ref> | --base-file <path>]

Checks, without writing anything:
  1. the subgraphs (subgraphs/*/schema.graphql) compose;
  2. the committed supergraph.graphql and schema.graphql are what they compose to;
  3. no breaking change of the API schema against a base (schema.graphql at HEAD~1 by default)
     that a registered operation uses. Each change is listed with its criticality (BREAKING,
     DANGEROUS, NON_BREAKING) and path; a BREAKING one says which operations use what it changes
     ("used by UserPage (web@0.1.0)") and fails, or that none does ("safe") and passes. A used one
     passes only when ${ALLOW_LIST_FILE} records it with a reason, e.g.
       [{ "path": "User.email", "type": "FIELD_TYPE_CHANGED", "reason": "The web app handles null" }]
     (an entry names the change by "path" and/or "message", optionally "type"); with no
     registered operation at all, every BREAKING one needs an entry. When the base does not
     exist (a first commit, a shallow clone) this part is skipped;
  4. every client operation (.graphql files in operations/ and web/src/) is valid against the API schema;
  5. every registered operation is valid against the API schema, else the client version that
     sends it, the operation and the field are named. The registered operations are every client
     version's in the trusted-documents registry (Redis at REDIS_URL, else the file
     TRUSTED_DOCUMENTS_FILE) and the working tree's operations/__generated__/persisted-documents.json
     as web@<version>;
  6. the API schema's lint: descriptions everywhere, PascalCase types, camelCase fields and
     arguments, UPPER_CASE enum values, Relay connections (edges, pageInfo, totalCount; first, after).

npm run schema:usage lists which fields the registered operations use.

Options:
  --base <git-ref>      compare with schema.graphql at this git ref (default HEAD~1), e.g. origin/main
  --base-file <path>    compare with this API schema file instead
  -h, --help            this text

Exits with 0 when every check passes, 1 when one fails, 2 on a wrong option.`;

const { values } = optionsOrExit(
  { options: { base: { type: 'string' }, 'base-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } } },
  'npm run schema:check',
  USAGE,
);
if (values.base !== undefined && values['base-file'] !== undefined) {
  console.error(`Give --base or --base-file, not both.\n\n${USAGE}`);
  process.exit(2);
}

let base: BaseSchema;
const baseFile = values['base-file'];
if (baseFile !== undefined) {
  const sdl = readOptionalFile(resolve(baseFile));
  if (sdl === undefined) {
    console.error(`--base-file ${baseFile}: no such file.`);
    process.exit(2);
  }
  base = { sdl, label: baseFile };
} else {
  base = readBaseFromGit(values.base ?? 'HEAD~1', REPO_ROOT);
}

let registered;
try {
  registered = await readRegisteredDocuments(configuredDocumentSources());
} catch (error) {
  if (!(error instanceof RegistryUnreadable)) throw error;
  console.error(`${error.message}\nStart it, or check against the file registry without REDIS_URL.`);
  process.exit(1);
}
console.log(`${registered.summary}\n`);

const sections = await checkSchema({
  subgraphs: readSubgraphSdls(),
  committed: {
    'supergraph.graphql': readOptionalFile(new URL('supergraph.graphql', REPO_ROOT)),
    'schema.graphql': readOptionalFile(new URL('schema.graphql', REPO_ROOT)),
  },
  base,
  allowList: readOptionalFile(new URL(ALLOW_LIST_FILE, REPO_ROOT)),
  operations: readOperations(REPO_ROOT),
  registeredDocuments: registered.documents,
});
console.log(formatSections(sections));
const failed = sections.filter((section) => section.outcome === 'failed').length;
console.log(failed ? `\nSchema check failed: ${failed} of ${sections.length} checks.` : '\nSchema check passed.');
process.exit(failed ? 1 : 0);
