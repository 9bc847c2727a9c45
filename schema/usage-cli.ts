// `npm run schema:usage`: which fields of the API schema the registered operations use, and which none does.
import { buildSchema } from 'graphql';
import { optionsOrExit } from '#lib/service/startup-errors.ts';
import { REPO_ROOT } from '../subgraphs/manifest.ts';
import { readOptionalFile } from './check.ts';
import { configuredDocumentSources, readRegisteredDocuments, RegistryUnreadable } from './registered-documents.ts';
import { fieldUsage, formatFieldUsage, parseRegisteredDocuments } from './registered-operations.ts';

const USAGE = `Usage: npm run schema:usage

Prints each field of the API schema (schema.graphql) with the registered operations that use it,
by client version, then the fields no registered operation uses: those a removal would not break.
The registered operations are, as for npm run schema:check, every client version's in the
trusted-documents registry (Redis at REDIS_URL, else the file TRUSTED_DOCUMENTS_FILE) and the
working tree's operations/__generated__/persisted-documents.json as web@<version>.

Options:
  -h, --help   this text`;

optionsOrExit({ options: { help: { type: 'boolean', short: 'h' } } }, 'npm run schema:usage', USAGE);

const apiSchemaSdl = readOptionalFile(new URL('schema.graphql', REPO_ROOT));
if (apiSchemaSdl === undefined) {
  console.error('No schema.graphql: run npm run schema:compose first.');
  process.exit(1);
}
let registered;
try {
  registered = await readRegisteredDocuments(configuredDocumentSources());
} catch (error) {
  if (!(error instanceof RegistryUnreadable)) throw error;
  console.error(`${error.message}\nStart it, or read the file registry without REDIS_URL.`);
  process.exit(1);
}
const { operations, problems } = parseRegisteredDocuments(registered.documents);
console.log(`${registered.summary}\n`);
for (const problem of problems) console.log(`skipped: ${problem}`);
console.log(formatFieldUsage(fieldUsage(buildSchema(apiSchemaSdl), operations)));
