// The docs are tests: every GraphQL and shell example of README.md and docs/*.md runs against what
// `npm start` runs (scripts/start.ts, on this file's test databases and free ports), page by page
// and in the order a reader meets them, and every output the docs show is compared with what came
// back. How a block says how it runs: test/doc-examples.ts.
//
// - GraphQL examples are sent to the gateway as the explorer sends them, signed out unless marked
//   `as: <email>`: then with the token of the example above that signed in with that email.
//   Without a shown output, a response must have no errors.
// - Shell examples run in one bash per page, one block after another (variables carry over), in the
//   repository's root. The one change made to them: each documented address,
//   http://localhost:<port> or http://127.0.0.1:<port> with the default ports (4000 the gateway,
//   4001-4003 the subgraphs), becomes the address the started stack printed for that service.
//   A block fails on a non-zero status, anything on stderr, or a GraphQL or REST error in what it
//   prints, unless its shown output has it.
// - Examples marked `not run` are skipped with their reason, and counted below.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORTS } from '../../scripts/stack.ts';
import { REPO_ROOT, SUBGRAPHS } from '../../subgraphs/manifest.ts';
import { postGraphQL } from '../../test/graphql.ts';
import {
  jsonDifferences,
  missingLines,
  parseJsonValues,
  readDocs,
  responseDifferences,
  signInEmail,
  withAddresses,
  type Example,
  type Output,
} from '../../test/doc-examples.ts';
import { openShell, type ShellSession } from '../../test/shell-session.ts';
import { startProcess, testDatabaseEnv, type StartedProcess } from '../../test/start-process.ts';

const pages = readDocs(REPO_ROOT);
const repo = fileURLToPath(REPO_ROOT);
let started: StartedProcess;
/** The started stack's origin by documented port. */
const origins = new Map<number, string>();

beforeAll(async () => {
  started = await startProcess(testDatabaseEnv(), ['--no-web']);
  const origin = (label: string) => new URL(started.urlOf(label)).origin;
  origins.set(DEFAULT_PORTS.gateway, origin('GraphQL gateway'));
  for (const { name, port } of SUBGRAPHS) origins.set(port, origin(`${name} subgraph`));
});

afterAll(async () => {
  started?.child.kill('SIGTERM');
  await started?.exited;
  const examples = pages.flatMap((page) => page.examples);
  const notRun = examples.filter((example) => example.notRun);
  const runBy = examples.filter((example) => example.runBy);
  console.log(
    [
      `Docs: ${examples.length - notRun.length - runBy.length} examples run, ${runBy.length} followed by other tests, ${notRun.length} not run:`,
      ...notRun.map((example) => `  ${example.page}:${example.line}  ${example.notRun}`),
    ].join('\n'),
  );
});

const where = (place: { line: number }, page: string) => `${page}:${place.line}`;

function expectOutput(output: Output, page: string, printed: string, asResponse: boolean) {
  const expected = withAddresses(output.text, origins);
  if (output.format === 'text') {
    expect(
      missingLines(expected, printed, output.varies),
      `${where(output, page)}: lines of the shown output missing from what it printed:\n${printed}`,
    ).toEqual([]);
    return;
  }
  const shown = parseJsonValues(expected);
  if (!shown) throw new Error(`${where(output, page)}: the shown output is not JSON`);
  const values = parseJsonValues(printed);
  expect(values, `${where(output, page)}: the example printed no JSON:\n${printed}`).toBeDefined();
  const differences =
    shown.length === values!.length
      ? shown.flatMap((value, index) => (asResponse ? responseDifferences : jsonDifferences)(value, values![index], output.varies))
      : [`${shown.length} JSON values shown, ${values!.length} printed`];
  expect(differences, `${where(output, page)}: the shown output differs from what came back:\n${printed}`).toEqual([]);
}

/** GraphQL responses and REST errors among what a block printed. */
function errorsIn(printed: string): unknown[] {
  return (parseJsonValues(printed) ?? []).flatMap((value) => {
    if (typeof value !== 'object' || value === null) return [];
    const { errors, error } = value as { errors?: unknown[]; error?: unknown };
    return [...(errors ?? []), ...(error ? [error] : [])];
  });
}

for (const page of pages.filter((page) => page.examples.length || page.startOutputs.length)) {
  describe(page.page, () => {
    let shell: ShellSession | undefined;
    /** Access tokens of the page's sign-ins so far, by email. */
    const tokens = new Map<string, string>();
    afterAll(() => shell?.close());

    async function runGraphQL(example: Example) {
      const headers: Record<string, string> = {};
      if (example.as) {
        const token = tokens.get(example.as);
        if (!token)
          throw new Error(`${where(example, page.page)} runs as ${example.as}, but no example above signs in with that email: show how to get the token`);
        headers.authorization = `Bearer ${token}`;
      }
      const { status, body } = await postGraphQL(origins.get(DEFAULT_PORTS.gateway)! + '/graphql', example.code, example.variables, headers);
      const printed = JSON.stringify(body, null, 2);
      if (example.output) expectOutput(example.output, page.page, printed, true);
      else {
        expect(body.errors, `${where(example, page.page)}: errors in the response`).toBeUndefined();
        expect(status).toBe(200);
      }
      const email = signInEmail(example.code, example.variables);
      const token = (body.data as { logIn?: { accessToken?: string } } | null | undefined)?.logIn?.accessToken;
      if (email && token) tokens.set(email, token);
    }

    async function runShell(example: Example) {
      shell ??= openShell(repo);
      const { status, stdout, stderr } = await shell.run(withAddresses(example.code, origins));
      expect(stderr, `${where(example, page.page)}: printed to stderr`).toBe('');
      expect(status, `${where(example, page.page)}: exit status (output:\n${stdout})`).toBe(0);
      if (example.output) expectOutput(example.output, page.page, stdout, true);
      else expect(errorsIn(stdout), `${where(example, page.page)}: errors in what it printed:\n${stdout}`).toEqual([]);
    }

    for (const example of page.examples) {
      const name = `${where(example, page.page)} (${example.kind})`;
      if (example.notRun) it.skip(`${name}, not run: ${example.notRun}`, () => {});
      else if (example.runBy) {
        it(`${name}, run by ${example.runBy}`, () => {
          expect(existsSync(new URL(example.runBy!, REPO_ROOT)), `${example.runBy} does not exist`).toBe(true);
        });
      } else it(name, () => (example.kind === 'graphql' ? runGraphQL(example) : runShell(example)));
    }

    for (const output of page.startOutputs) {
      it(`${where(output, page.page)} (what npm start prints)`, () => expectOutput(output, page.page, started.output(), false));
    }
  });
}
