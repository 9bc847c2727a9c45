import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../subgraphs/manifest.ts';
import {
  brokenReferences,
  commandsOf,
  docPages,
  headingAnchor,
  jsonDifferences,
  missingLines,
  parseJsonValues,
  readPage,
  responseDifferences,
  signInEmail,
  withAddresses,
} from './doc-examples.ts';

const fence = '```';

describe('readPage', () => {
  it('reads examples with their directives, variables and outputs, indented ones too', () => {
    const page = readPage(
      [
        '<!-- as: bob@example.com -->',
        `${fence}graphql`,
        'query Feed($after: String) { posts(after: $after) { totalCount } }',
        fence,
        '<!-- variables -->',
        `${fence}json`,
        '{ "after": null }',
        fence,
        '<!-- output; varies: data.posts.totalCount, data.*.x -->',
        `${fence}json`,
        '{ "data": { "posts": { "totalCount": 1 } } }',
        fence,
        '1. A step:',
        '   <!-- not run:',
        '   it installs; -->',
        `   ${fence}sh`,
        '   npm ci',
        `   ${fence}`,
        `${fence}graphql`,
        'type Query { a: Int }',
        fence,
        `${fence}ts`,
        'const a = 1;',
        fence,
      ].join('\n'),
      'doc.md',
    );
    expect(page.examples).toEqual([
      {
        page: 'doc.md',
        line: 2,
        kind: 'graphql',
        code: 'query Feed($after: String) { posts(after: $after) { totalCount } }',
        as: 'bob@example.com',
        variables: { after: null },
        output: { format: 'json', text: '{ "data": { "posts": { "totalCount": 1 } } }', line: 10, varies: ['data.posts.totalCount', 'data.*.x'] },
        notRun: undefined,
        runBy: undefined,
      },
      { page: 'doc.md', line: 16, kind: 'shell', code: 'npm ci', notRun: 'it installs', runBy: undefined, as: undefined },
    ]);
  });

  it('keeps what npm start prints apart, with the lines that vary', () => {
    const page = readPage(['<!-- output of npm start; varies: line 1 -->', `${fence}text`, 'Ready in 2.1 s', '  gateway  x', fence].join('\n'), 'doc.md');
    expect(page.startOutputs).toEqual([{ format: 'text', text: 'Ready in 2.1 s\n  gateway  x', line: 2, varies: ['1'] }]);
  });

  it.each([
    [['<!-- nto run: typo -->', `${fence}sh`, 'echo', fence], 'doc.md:2: unknown directive "nto run"'],
    [['<!-- not run -->', `${fence}sh`, 'ls', fence], 'doc.md:2: say why'],
    [[fence, 'x', fence], 'doc.md:1: give the code block a language'],
    [['<!-- output -->', `${fence}json`, '{}', fence], 'doc.md:2: an output with no example above it'],
    [['<!-- as: bob@example.com -->', `${fence}sh`, 'echo', fence], '"as" is for GraphQL examples'],
    [[`${fence}sh`, 'ls'], 'never closed'],
    [[`${fence}sh`, 'npm ci', fence], 'doc.md:1: runs npm, which the docs test does not run in the working tree'],
  ])('refuses a block it cannot run as marked: %j', (lines, message) => {
    expect(() => readPage(lines.join('\n'), 'doc.md')).toThrow(message);
  });
});

describe('outputs', () => {
  it('compares JSON exactly, but for the paths that vary', () => {
    const actual = { data: { logIn: { accessToken: 'eyJ.x.y', user: { name: 'Bob' } } } };
    expect(jsonDifferences({ data: { logIn: { accessToken: 'eyJ…', user: { name: 'Bob' } } } }, actual, ['data.logIn.accessToken'])).toEqual([]);
    expect(jsonDifferences({ data: { logIn: { accessToken: 'eyJ…', user: { name: 'Bob' } } } }, actual, [])).toEqual([
      'at data.logIn.accessToken: expected "eyJ…", got "eyJ.x.y"',
    ]);
    expect(jsonDifferences({ a: [1, 2] }, { a: [1, 2, 3] }, [])).toEqual(['at a: 2 items expected, got 3: [1,2,3]']);
    expect(jsonDifferences({ a: 1 }, { a: 1, errors: [] }, [])).toEqual(['at the top: "errors" not expected, got []']);
    expect(jsonDifferences({ a: [{ id: 1 }, { id: 2 }] }, { a: [{ id: 7 }, { id: 8 }] }, ['a.*.id'])).toEqual([]);
  });

  it("leaves a response's extensions out unless the docs show them", () => {
    expect(responseDifferences({ data: { a: 1 } }, { data: { a: 1 }, extensions: { cost: 1 } }, [])).toEqual([]);
    expect(responseDifferences({ data: { a: 1 }, extensions: { cost: 2 } }, { data: { a: 1 }, extensions: { cost: 1 } }, [])).toHaveLength(1);
  });

  it('finds the shown lines in order, spaces collapsed, but the varying ones', () => {
    const printed = 'HTTP/1.1 200 OK\nx-cache:   HIT\nage: 3\n\n{"data":{}}';
    expect(missingLines('HTTP/1.1 200 OK\nx-cache: HIT', printed, [])).toEqual([]);
    expect(missingLines('x-cache: HIT\nHTTP/1.1 200 OK', printed, [])).toEqual(['HTTP/1.1 200 OK']);
    expect(missingLines('age: 9\nx-cache: MISS', printed, ['1'])).toEqual(['x-cache: MISS']);
  });

  it('reads the JSON values curl prints one after another', () => {
    expect(parseJsonValues('{"a":"}{"}{"b":[1]}\n[2]')).toEqual([{ a: '}{' }, { b: [1] }, [2]]);
    expect(parseJsonValues('HTTP/1.1 200 OK\n{}')).toBeUndefined();
    expect(parseJsonValues('{"a":')).toBeUndefined();
  });
});

it('replaces the documented addresses with the running services, by port', () => {
  const origins = new Map([[4000, 'http://127.0.0.1:41234']]);
  expect(withAddresses('curl http://localhost:4000/graphql http://127.0.0.1:4000/x http://localhost:4001/y', origins)).toBe(
    'curl http://127.0.0.1:41234/graphql http://127.0.0.1:41234/x http://localhost:4001/y',
  );
});

it('knows which email a logIn example signs in with', () => {
  expect(signInEmail('mutation { logIn(input: { email: "bob@example.com", password: "p" }) { accessToken } }', undefined)).toBe('bob@example.com');
  expect(signInEmail('mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }', { input: { email: 'ada@example.com' } })).toBe(
    'ada@example.com',
  );
  expect(signInEmail('{ me { email } }', undefined)).toBeUndefined();
});

it('finds the commands a shell example runs, past quotes, assignments, pipes and substitutions', () => {
  expect(
    commandsOf(`TOKEN=$(curl -s http://localhost:4000/graphql -H 'content-type: application/json' \\
  -d '{"query":"mutation { logIn(input: {email: \\"bob@example.com\\"}) { accessToken } }"}' \\
  | node -pe 'JSON.parse(require("fs").readFileSync(0)).data.logIn.accessToken')
curl -s http://localhost:4000/graphql -H "authorization: Bearer $TOKEN" -d '{}'`),
  ).toEqual(['curl', 'node', 'curl']);
  expect(
    commandsOf(`Q='{ product(id: "5") { name } }'
EXT="{\\"persistedQuery\\":{\\"sha256Hash\\":\\"$(printf %s "$Q" | sha256sum | cut -d' ' -f1)\\"}}"
curl -sGi http://localhost:4000/graphql --data-urlencode "extensions=$EXT"   # by hash: x-cache: HIT`),
  ).toEqual(['printf', 'sha256sum', 'cut', 'curl']);
  expect(commandsOf('npm ci && npm start; docker compose up')).toEqual(['npm', 'npm', 'docker']);
  expect(commandsOf('USERS_DATABASE_URL=postgresql://x npx prisma migrate deploy')).toEqual(['npx']);
});

it('anchors headings as GitHub does', () => {
  expect(headingAnchor('No N+1: how the subgraphs batch')).toBe('no-n1-how-the-subgraphs-batch');
  expect(headingAnchor('REST or GraphQL?')).toBe('rest-or-graphql');
  expect(headingAnchor('A five-minute tour')).toBe('a-five-minute-tour');
});

// The worked examples' files, which following them makes.
const WORKED_EXAMPLES = ['subgraphs/reviews/', 'prisma/reviews/'];

describe.each(docPages(REPO_ROOT))('%s', (page) => {
  it('names only files, folders and headings that exist', () => {
    expect(brokenReferences(REPO_ROOT, page, WORKED_EXAMPLES)).toEqual([]);
  });
});
