// The examples of the README and docs/*.md, read from their fenced blocks for e2e/docs, which runs
// them. A block says how it runs in an HTML comment on the line(s) before it (invisible on GitHub):
//
//   <!-- not run: <why> -->        an example no test can run as written (it installs, starts the
//                                   whole stack, needs your own database, …): counted and reported
//   <!-- run by: <test file> -->   an example another test follows step by step
//   <!-- as: bob@example.com -->   a GraphQL example sent with the access token of the last example
//                                   above on the page that signed in with that email
//   <!-- variables -->             a json block: the variables of the GraphQL example above it
//   <!-- output -->                a json or text block: what the example above it returns or prints
//   <!-- output of npm start -->   a text block: what `npm start` prints
//   <!-- …; varies: <list> -->     parts of an output that differ from run to run, not compared:
//                                   JSON paths (`data.logIn.accessToken`, `*` for any key or index)
//                                   for json, line numbers (`line 1`) for text
//
// Clauses are separated by `;`. Every block has a language: `graphql` (operations run, schemas
// are source), `sh`/`bash` (run in a shell), `json`/`text` (outputs when marked), anything else is
// source code shown, not run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';

export interface Output {
  format: 'json' | 'text';
  text: string;
  line: number;
  /** JSON paths (json) or 1-based line numbers (text) whose values differ from run to run. */
  varies: string[];
}

export interface Example {
  page: string;
  /** The line of its opening fence, 1-based. */
  line: number;
  kind: 'graphql' | 'shell';
  code: string;
  notRun?: string;
  runBy?: string;
  /** The email whose sign-in's token the example is sent with. */
  as?: string;
  variables?: Record<string, unknown>;
  output?: Output;
}

export interface Page {
  page: string;
  examples: Example[];
  /** Text blocks marked as what `npm start` prints. */
  startOutputs: Output[];
}

interface Fence {
  line: number;
  language: string;
  code: string;
  directives: Map<string, string>;
}

const SHELLS = new Set(['sh', 'bash', 'shell']);
/**
 * What a shell example may run in the test: requests and text tools. Anything else (npm, docker,
 * git, rm, …) would install, start or change things in the working tree the tests run in, so its
 * example is marked `not run` or `run by`.
 */
const SAFE_COMMANDS = new Set(['curl', 'printf', 'echo', 'node', 'sha256sum', 'cut', 'grep', 'head', 'tail', 'sed', 'tr', 'cat', 'jq', 'sleep']);

/**
 * The commands a shell script runs, roughly: the first word of each pipeline stage, list item and
 * command substitution, past variable assignments. Single-quoted text is data; double quotes are
 * read through, as `$(…)` runs inside them.
 */
export function commandsOf(script: string): string[] {
  const code = script
    .replace(/\\\n/g, ' ')
    .replace(/'[^']*'/g, "''")
    .replace(/(^|\s)#.*$/gm, '$1')
    .replace(/\\"/g, '')
    .replace(/"/g, '');
  return code
    .split(/\$\(|`|[\n;|&()]/)
    .map(
      (segment) =>
        segment
          .trim()
          .split(/\s+/)
          .find((word) => !/^[A-Za-z_]\w*=/.test(word)) ?? '',
    )
    .filter((word) => word && !/^[{}\]]/.test(word));
}
const KNOWN = ['not run', 'run by', 'as', 'variables', 'output', 'output of npm start', 'varies'];

/** The clauses of the HTML comment that ends just above line `index` (blank lines between allowed). */
function directivesAbove(lines: string[], index: number, where: string): Map<string, string> {
  let end = index - 1;
  while (end >= 0 && lines[end]!.trim() === '') end--;
  if (end < 0 || !lines[end]!.trim().endsWith('-->')) return new Map();
  let start = end;
  while (start > 0 && !lines[start]!.includes('<!--')) start--;
  const comment = lines
    .slice(start, end + 1)
    .join(' ')
    .replace(/^\s*<!--/, '')
    .replace(/-->\s*$/, '');
  const directives = new Map<string, string>();
  for (const clause of comment.split(';')) {
    const [key = '', ...value] = clause.split(':');
    const name = key.trim().replace(/\s+/g, ' ');
    if (!name) continue;
    if (!KNOWN.includes(name)) throw new Error(`${where}: unknown directive "${name}" (known: ${KNOWN.join(', ')})`);
    directives.set(name, value.join(':').trim());
  }
  return directives;
}

/** Every fenced block of a Markdown page, its indentation (inside a list item) removed. */
function fencesOf(markdown: string, page: string): Fence[] {
  const lines = markdown.split('\n');
  const fences: Fence[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,})(.*)$/.exec(lines[index]!);
    if (!open) continue;
    const [, indent = '', ticks = '', info = ''] = open;
    const where = `${page}:${index + 1}`;
    const close = lines.findIndex((line, at) => at > index && line.trim().startsWith(ticks) && line.trim().replace(/`/g, '') === '');
    if (close < 0) throw new Error(`${where}: a code block that is never closed`);
    const language = info.trim().split(/\s+/)[0] ?? '';
    if (!language) throw new Error(`${where}: give the code block a language (text for output, sh for commands, …)`);
    const code = lines
      .slice(index + 1, close)
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
      .join('\n');
    fences.push({ line: index + 1, language, code, directives: directivesAbove(lines, index, where) });
    index = close;
  }
  return fences;
}

/** An operation, not a schema; one that does not parse counts by its first word, and fails when run. */
function isOperation(code: string): boolean {
  try {
    return parse(code).definitions.every((definition) => definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION);
  } catch {
    return /^(?:\s*#.*\n)*\s*(?:\{|query\b|mutation\b|subscription\b|fragment\b)/.test(code);
  }
}

function outputOf(fence: Fence, format: 'json' | 'text'): Output {
  const varies = (fence.directives.get('varies') ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return { format, text: fence.code, line: fence.line, varies: format === 'text' ? varies.map((item) => item.replace(/^line\s+/, '')) : varies };
}

/** The examples of one page, each with the variables and output that follow it. */
export function readPage(markdown: string, page: string): Page {
  const examples: Example[] = [];
  const startOutputs: Output[] = [];
  for (const fence of fencesOf(markdown, page)) {
    const where = `${page}:${fence.line}`;
    const { directives, language } = fence;
    const previous = examples.at(-1);
    if (directives.has('variables') || directives.has('output')) {
      if (!previous) throw new Error(`${where}: ${directives.has('variables') ? 'variables' : 'an output'} with no example above it`);
      if (directives.has('variables')) {
        if (previous.kind !== 'graphql' || language !== 'json') throw new Error(`${where}: variables are a json block after a GraphQL example`);
        previous.variables = JSON.parse(fence.code) as Record<string, unknown>;
      } else {
        if (language !== 'json' && language !== 'text') throw new Error(`${where}: an output is a json or text block`);
        if (previous.output) throw new Error(`${where}: the example above already has an output`);
        previous.output = outputOf(fence, language);
      }
      continue;
    }
    if (directives.has('output of npm start')) {
      startOutputs.push(outputOf(fence, 'text'));
      continue;
    }
    const kind = language === 'graphql' && isOperation(fence.code) ? 'graphql' : SHELLS.has(language) ? 'shell' : undefined;
    if (!kind) {
      if (directives.size) throw new Error(`${where}: directives on a ${language} block, which is not an example`);
      continue;
    }
    const notRun = directives.get('not run');
    if (directives.has('not run') && !notRun) throw new Error(`${where}: say why the example is not run ("not run: <why>")`);
    if (kind === 'shell' && !directives.has('not run') && !directives.has('run by')) {
      const unsafe = commandsOf(fence.code).filter((command) => !SAFE_COMMANDS.has(command));
      if (unsafe.length) {
        throw new Error(
          `${where}: runs ${[...new Set(unsafe)].join(', ')}, which the docs test does not run in the working tree: mark it "not run: <why>" or "run by: <test>"`,
        );
      }
    }
    const as = directives.get('as');
    if (as !== undefined && kind !== 'graphql') throw new Error(`${where}: "as" is for GraphQL examples; a shell example signs in itself`);
    examples.push({ page, line: fence.line, kind, code: fence.code, notRun, runBy: directives.get('run by') || undefined, as: as || undefined });
  }
  return { page, examples, startOutputs };
}

/** README.md and every page of docs/, from the repository root. */
export function docPages(root: URL): string[] {
  return [
    'README.md',
    ...readdirSync(new URL('docs/', root))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `docs/${name}`),
  ];
}

export function readDocs(root: URL): Page[] {
  return docPages(root).map((page) => readPage(readFileSync(new URL(page, root), 'utf8'), page));
}

/**
 * The documented addresses (`http://localhost:4000`, or `127.0.0.1`) replaced with where the
 * services of the running stack listen, by port; an address of a service that does not run is
 * left as it is, so the example fails and says so.
 */
export function withAddresses(text: string, origins: ReadonlyMap<number, string>): string {
  return text.replace(/http:\/\/(?:localhost|127\.0\.0\.1):(\d+)/g, (address, port: string) => origins.get(Number(port)) ?? address);
}

/** Consecutive JSON values, as curl prints them one after another; undefined when the text is not that. */
export function parseJsonValues(text: string): unknown[] | undefined {
  const values: unknown[] = [];
  let rest = text.trim();
  while (rest) {
    let end = -1;
    let depth = 0;
    let inString = false;
    for (let at = 0; at < rest.length && end < 0; at++) {
      const char = rest[at];
      if (inString) {
        if (char === '\\') at++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === '{' || char === '[') depth++;
      else if (char === '}' || char === ']') {
        depth--;
        if (depth === 0) end = at + 1;
      }
    }
    if (end < 0) return undefined;
    try {
      values.push(JSON.parse(rest.slice(0, end)));
    } catch {
      return undefined;
    }
    rest = rest.slice(end).trim();
  }
  return values;
}

function pathMatches(pattern: string, path: string[]): boolean {
  const parts = pattern.split('.');
  return parts.length === path.length && parts.every((part, index) => part === '*' || part === path[index]);
}

/** Where `actual` differs from `expected`, one line each; the paths in `varies` are not compared. */
export function jsonDifferences(expected: unknown, actual: unknown, varies: readonly string[], path: string[] = []): string[] {
  if (varies.some((pattern) => pathMatches(pattern, path))) return [];
  const at = path.length ? path.join('.') : 'the top';
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return [`at ${at}: ${expected.length} items expected, got ${actual.length}: ${JSON.stringify(actual)}`];
    return expected.flatMap((item, index) => jsonDifferences(item, actual[index], varies, [...path, String(index)]));
  }
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    return keys.flatMap((key) => {
      if (!(key in actual)) return [`at ${at}: "${key}" expected, missing`];
      if (!(key in expected)) return [`at ${at}: "${key}" not expected, got ${JSON.stringify(actual[key])}`];
      return jsonDifferences(expected[key], actual[key], varies, [...path, key]);
    });
  }
  return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [`at ${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/**
 * The expected lines (all but the numbered ones in `varies`) missing from `actual`, in order; runs
 * of spaces count as one, since a substituted address can change a column's width.
 */
export function missingLines(expected: string, actual: string, varies: readonly string[]): string[] {
  const normal = (line: string) => line.trim().replace(/\s+/g, ' ');
  const actualLines = actual.split('\n').map(normal);
  const missing: string[] = [];
  let from = 0;
  expected.split('\n').forEach((line, index) => {
    if (!normal(line) || varies.includes(String(index + 1))) return;
    const found = actualLines.indexOf(normal(line), from);
    if (found < 0) missing.push(line);
    else from = found + 1;
  });
  return missing;
}

/** As `jsonDifferences`, for responses: one's top-level `extensions` (the cost, …) is compared only when the docs show it. */
export function responseDifferences(expected: unknown, actual: unknown, varies: readonly string[]): string[] {
  const shown = (value: unknown) => typeof value === 'object' && value !== null && 'extensions' in value;
  if (!shown(expected) && shown(actual) && !Array.isArray(actual)) {
    const { extensions: _notShown, ...rest } = actual as Record<string, unknown>;
    return jsonDifferences(expected, rest, varies);
  }
  return jsonDifferences(expected, actual, varies);
}

/** The email an operation signs in with (`logIn(input: { email: "…" … })`, literal or in its variables). */
export function signInEmail(code: string, variables: Record<string, unknown> | undefined): string | undefined {
  if (!/\blogIn\s*\(/.test(code)) return undefined;
  const literal = /\bemail\s*:\s*"([^"]+)"/.exec(code)?.[1];
  const input = variables?.input as { email?: unknown } | undefined;
  return literal ?? (typeof input?.email === 'string' ? input.email : undefined);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function outsideCode(markdown: string): string {
  return markdown.replace(/^(\s*)(`{3,})[^\n]*\n[\s\S]*?^\s*\2\s*$/gm, '');
}

/**
 * What a page names that is not there: a relative link to a missing file or heading, or a
 * repository path in `code` that does not exist. Paths under `hypothetical` are a worked
 * example's files, made by following it; runtime and build folders (.data/, dist/) are not checked.
 */
export function brokenReferences(root: URL, page: string, hypothetical: readonly string[]): string[] {
  const markdown = outsideCode(readFileSync(new URL(page, root), 'utf8'));
  const broken: string[] = [];
  const pageUrl = new URL(page, root);
  const anchorsOf = (url: URL) =>
    new Set([...outsideCode(readFileSync(url, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)].map((match) => headingAnchor(match[1]!.replace(/`/g, ''))));
  for (const [, target = ''] of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target)) continue;
    const [file = '', anchor] = target.split('#');
    const url = file ? new URL(file, pageUrl) : pageUrl;
    if (!existsSync(url)) broken.push(`${page}: link to ${target}: no such file`);
    else if (anchor && url.pathname.endsWith('.md') && !anchorsOf(url).has(anchor)) broken.push(`${page}: link to ${target}: no such heading`);
  }
  for (const [, span = ''] of markdown.matchAll(/`([^`\s]+)`/g)) {
    const path = /^([a-z][\w-]*)\/[\w./-]*$/.exec(span);
    if (!path || !existsSync(new URL(`${path[1]}/`, root))) continue;
    if (hypothetical.some((prefix) => span.startsWith(prefix)) || /(^|\/)(\.data|dist|node_modules)(\/|$)/.test(span)) continue;
    if (!existsSync(new URL(span, root))) broken.push(`${page}: \`${span}\` does not exist`);
  }
  return broken;
}
