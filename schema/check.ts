// `npm run schema:check`: everything that keeps the federated schema safe to ship, without Apollo's
// cloud: the subgraphs compose, the committed artifacts are what they compose to, no unrecorded
// breaking change against a base, every client operation is valid, and the API schema follows
// our conventions. Each part gives a section; the command fails when one of them does.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { buildSchema, GraphQLError, Kind, parse, Source, validate, type DefinitionNode, type DocumentNode } from 'graphql';
import { composeSubgraphs, CompositionError, compositionProblemLines, startOf, type Composition, type SubgraphSdl } from './compose.ts';
import { ALLOW_LIST_FILE, AllowListError, compareApiSchemas, formatSchemaChange, parseAllowList, type AllowListEntry } from './changes.ts';
import { formatLintProblem, lintSchema } from './lint.ts';

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
  return [
    { title: `Composition of ${input.subgraphs.map(({ name }) => name).join(', ')}`, outcome: 'ok', lines: [] },
    checkUpToDate(composition, input.committed),
    await checkBreakingChanges(composition.apiSchemaSdl, input.base, input.allowList),
    checkOperations(composition.apiSchemaSdl, input.operations),
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

async function checkBreakingChanges(apiSchemaSdl: string, base: BaseSchema, allowListJson: string | undefined): Promise<Section> {
  if ('missing' in base) return { title: 'Breaking changes', outcome: 'skipped', lines: [base.missing] };
  const title = `Breaking changes against ${base.label}`;
  let allowList: AllowListEntry[];
  try {
    allowList = allowListJson === undefined ? [] : parseAllowList(allowListJson);
  } catch (error) {
    if (!(error instanceof AllowListError)) throw error;
    return { title, outcome: 'failed', lines: error.message.split('\n') };
  }
  const { changes, breaking, unusedAllowances } = await compareApiSchemas(base.sdl, apiSchemaSdl, allowList);
  const lines = [
    ...changes.map(formatSchemaChange),
    ...unusedAllowances.map(
      (entry) => `note: the allow-list entry ${JSON.stringify(entry.path ?? entry.message)} matches no change; remove it once the base has it.`,
    ),
  ];
  if (!changes.length) lines.unshift('no change');
  if (breaking.length) {
    lines.push(
      `${breaking.length} breaking change${breaking.length === 1 ? '' : 's'} not in ${ALLOW_LIST_FILE}: ` +
        'deprecate with @deprecated(reason:) first, or, when the break is intended, add to it:',
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
