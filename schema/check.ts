// `npm run schema:check`: everything that keeps the federated schema safe to ship, without Apollo's
// cloud: the subgraphs compose, the committed artifacts are what they compose to, no breaking change
// against a base that a registered client operation uses (or that the allow-list records), every
// client operation is valid, every registered one still is, and the API schema follows our
// conventions. Each part gives a section; the command fails when one of them does.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { buildSchema, GraphQLError, Kind, parse, Source, validate, type DefinitionNode, type DocumentNode } from 'graphql';
import type { RegisteredDocument } from '../documents/registry.ts';
import { composeSubgraphs, CompositionError, compositionProblemLines, startOf, type Composition, type SubgraphSdl } from './compose.ts';
import { ALLOW_LIST_FILE, AllowListError, compareApiSchemas, formatSchemaChange, parseAllowList, type AllowListEntry } from './changes.ts';
import { formatLintProblem, lintSchema } from './lint.ts';
import {
  clientsOf,
  invalidOperations,
  operationsByClient,
  operationsConcernedBy,
  parseRegisteredDocuments,
  type RegisteredOperation,
} from './registered-operations.ts';

export interface Section {
  title: string;
  outcome: 'ok' | 'failed' | 'skipped';
  /** One problem or remark per line, each saying where it is. */
  lines: string[];
}

/** The base API schema to compare with, or why there is none (a first commit, a shallow clone). */
export type BaseSchema = { sdl: string; label: string } | { missing: string };

export interface SchemaCheckInput {
  subgraphs: SubgraphSdl[];
  /** The committed artifacts' contents, undefined when a file is missing. */
  committed: { 'supergraph.graphql': string | undefined; 'schema.graphql': string | undefined };
  base: BaseSchema;
  /** The allow-list file's text, undefined when there is none. */
  allowList: string | undefined;
  operations: { file: string; sdl: string }[];
  /** The documents clients are known to send: the registry's and the working tree's manifest (see registered-operations.ts). */
  registeredDocuments: RegisteredDocument[];
}

export async function checkSchema(input: SchemaCheckInput): Promise<Section[]> {
  let composition: Composition;
  try {
    composition = composeSubgraphs(input.subgraphs);
  } catch (error) {
    if (!(error instanceof CompositionError)) throw error;
    const composed: Section = { title: 'Composition', outcome: 'failed', lines: compositionProblemLines(error.problems) };
    return [composed, { title: 'The other checks need a composed schema', outcome: 'skipped', lines: [] }];
  }
  const registered = parseRegisteredDocuments(input.registeredDocuments);
  return [
    { title: `Composition of ${input.subgraphs.map(({ name }) => name).join(', ')}`, outcome: 'ok', lines: [] },
    checkUpToDate(composition, input.committed),
    await checkBreakingChanges(composition.apiSchemaSdl, input.base, input.allowList, registered.operations),
    checkOperations(composition.apiSchemaSdl, input.operations),
    checkRegisteredOperations(composition.apiSchemaSdl, registered),
    checkLint(composition.apiSchemaSdl),
  ];
}

function checkUpToDate(composition: Composition, committed: SchemaCheckInput['committed']): Section {
  const fresh = { 'supergraph.graphql': composition.supergraphSdl, 'schema.graphql': composition.apiSchemaSdl };
  const lines = Object.entries(fresh).flatMap(([file, expected]) => {
    const actual = committed[file as keyof typeof fresh];
    if (actual === undefined) return [`${file}: missing; run \`npm run schema:compose\` and commit it.`];
    if (actual === expected) return [];
    return [`${file}:${firstDifferentLine(actual, expected)}: out of date; run \`npm run schema:compose\` and commit it.`];
  });
  return { title: 'supergraph.graphql and schema.graphql are what the subgraphs compose to', outcome: lines.length ? 'failed' : 'ok', lines };
}

function firstDifferentLine(actual: string, expected: string): number {
  const a = actual.split('\n');
  const b = expected.split('\n');
  const index = a.findIndex((line, i) => line !== b[i]);
  return (index === -1 ? a.length : index) + 1;
}

/**
 * A breaking change fails when a registered operation uses what it changes, unless the allow-list
 * records it; one that no registered operation uses is safe and passes without an entry. With no
 * registered operation at all nothing tells which changes are safe, so each breaking one needs an entry.
 */
async function checkBreakingChanges(
  apiSchemaSdl: string,
  base: BaseSchema,
  allowListJson: string | undefined,
  registered: RegisteredOperation[],
): Promise<Section> {
  if ('missing' in base) return { title: 'Breaking changes', outcome: 'skipped', lines: [base.missing] };
  const title = `Breaking changes against ${base.label}`;
  let allowList: AllowListEntry[];
  try {
    allowList = allowListJson === undefined ? [] : parseAllowList(allowListJson);
  } catch (error) {
    if (!(error instanceof AllowListError)) throw error;
    return { title, outcome: 'failed', lines: error.message.split('\n') };
  }
  const { changes, breaking: unrecorded, unusedAllowances } = await compareApiSchemas(base.sdl, apiSchemaSdl, allowList);
  const concernedBy = registered.length ? operationsConcernedBy(buildSchema(base.sdl), registered) : undefined;
  const breaking = concernedBy ? unrecorded.filter((change) => concernedBy(change).length) : unrecorded;
  const lines = [
    ...changes.map((change) => {
      if (change.criticality === 'NON_BREAKING' || !concernedBy) return formatSchemaChange(change);
      const users = concernedBy(change);
      // A dangerous change passes, but its reviewer wants to know whose code to look at.
      if (change.criticality === 'DANGEROUS')
        return users.length ? `${formatSchemaChange(change)}; used by ${operationsByClient(users)}` : formatSchemaChange(change);
      const usage = users.length ? `used by ${operationsByClient(users)}` : `safe: no registered operation uses ${change.path}`;
      return `${formatSchemaChange(change)}; ${usage}`;
    }),
    ...unusedAllowances.map(
      (entry) => `note: the allow-list entry ${JSON.stringify(entry.path ?? entry.message)} matches no change; remove it once the base has it.`,
    ),
  ];
  if (!changes.length) lines.unshift('no change');
  if (breaking.length) {
    lines.push(
      `${breaking.length} breaking change${breaking.length === 1 ? '' : 's'} ${concernedBy ? 'that registered operations use, ' : ''}not in ${ALLOW_LIST_FILE}: ` +
        (concernedBy
          ? 'deprecate with @deprecated(reason:) first and retire the client versions that use it (npm run documents:publish -- --retire name@version), ' +
            'or, when their operations still work after it, add to it:'
          : 'deprecate with @deprecated(reason:) first, or, when the break is intended, add to it:'),
      ...breaking.map(({ path, type }) => `  ${JSON.stringify({ path, type, reason: 'why it is safe to ship' })}`),
    );
  }
  return { title, outcome: breaking.length ? 'failed' : 'ok', lines };
}

/**
 * All client operations are validated as one document, as codegen sees them: a fragment may be
 * defined in one file and spread in another, and operation names are unique across files.
 */
function checkOperations(apiSchemaSdl: string, operations: { file: string; sdl: string }[]): Section {
  const title = `Client operations (${operations.length} file${operations.length === 1 ? '' : 's'}) are valid against schema.graphql`;
  if (!operations.length) return { title: 'Client operations', outcome: 'skipped', lines: ['no .graphql file in operations/ or web/src/'] };
  const definitions: DefinitionNode[] = [];
  const errors: GraphQLError[] = [];
  for (const { file, sdl } of operations) {
    try {
      definitions.push(...parse(new Source(sdl, file)).definitions);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      errors.push(error);
    }
  }
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions };
  if (!errors.length) errors.push(...validate(buildSchema(apiSchemaSdl), document));
  const lines = errors.map((error) => `${whereIs(error)}: ${error.message}`);
  return { title, outcome: lines.length ? 'failed' : 'ok', lines };
}

function whereIs(error: GraphQLError): string {
  const start = error.nodes?.[0] && startOf(error.nodes[0]);
  if (start) return `${start.source}:${start.line}:${start.column}`;
  // A syntax error has no node, only a position in its source.
  const [location] = error.locations ?? [];
  return `${error.source?.name ?? '?'}${location ? `:${location.line}:${location.column}` : ''}`;
}

/**
 * Every document a client version is known to send must still be valid: the gateway runs them by
 * their id, and no allow-list entry makes an invalid one work. The way out is to retire the client
 * versions that send it.
 */
function checkRegisteredOperations(apiSchemaSdl: string, { operations, problems }: ReturnType<typeof parseRegisteredDocuments>): Section {
  const count = operations.length + problems.length;
  if (!count) return { title: 'Registered operations', outcome: 'skipped', lines: ['no registered document and no manifest in the working tree'] };
  const clients = clientsOf({ clients: operations.flatMap(({ clients }) => clients) });
  const title = `Registered operations (${count} document${count === 1 ? '' : 's'} of ${clients}) are valid against schema.graphql`;
  const lines = [...problems, ...invalidOperations(buildSchema(apiSchemaSdl), operations)];
  if (!lines.length) return { title, outcome: 'ok', lines };
  const wayOut =
    'keep what they use, or retire the client versions that send them once no build is in use: npm run documents:publish -- --retire name@version ' +
    '(a version keeps every document published for it, by npm start too)';
  return { title, outcome: 'failed', lines: [...lines, wayOut] };
}

function checkLint(apiSchemaSdl: string): Section {
  const lines = lintSchema(apiSchemaSdl, 'schema.graphql').map(formatLintProblem);
  return { title: 'Schema lint (descriptions, naming, Relay connections)', outcome: lines.length ? 'failed' : 'ok', lines };
}

export function formatSections(sections: Section[]): string {
  const mark = { ok: 'ok  ', failed: 'FAIL', skipped: 'skip' } as const;
  return sections.flatMap((section) => [`${mark[section.outcome]} ${section.title}`, ...section.lines.map((line) => `       ${line}`)]).join('\n');
}

// The inputs from disk and git.

const OPERATION_FOLDERS = ['operations', 'web/src'];

/** The client operations' `.graphql` files below operations/ and web/src/, in a stable order. */
export function readOperations(root: URL): { file: string; sdl: string }[] {
  return OPERATION_FOLDERS.flatMap((folder) => {
    let entries: string[];
    try {
      entries = readdirSync(new URL(folder, root), { recursive: true, encoding: 'utf8' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.endsWith('.graphql') && !entry.split('/').includes('__generated__'))
      .sort()
      .map((entry) => {
        const file = `${folder}/${entry}`;
        return { file, sdl: readFileSync(new URL(file, root), 'utf8') };
      });
  });
}

export function readOptionalFile(file: URL | string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** schema.graphql as it was at a git ref; missing when git, the ref or the file is not there. */
export function readBaseFromGit(ref: string, root: URL): BaseSchema {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const commit = git('rev-parse', '--short', '--verify', '--end-of-options', `${ref}^{commit}`).trim();
    return { sdl: git('show', `${commit}:schema.graphql`), label: `schema.graphql at ${ref} (${commit})` };
  } catch (error) {
    const stderr = ((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    const why = stderr || (error as Error).message;
    return { missing: `no base schema.graphql at ${ref} (${why}): a first commit or a shallow clone has none; comparison skipped.` };
  }
}
