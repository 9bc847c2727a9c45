import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../subgraphs/manifest.ts';
import { composeSubgraphs, type SubgraphSdl } from './compose.ts';
import { documentId } from '../documents/registry.ts';
import { checkSchema, formatSections, readBaseFromGit, readOperations, type SchemaCheckInput } from './check.ts';

const fixture = (path: string) => readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');

const subgraphs: SubgraphSdl[] = [
  { name: 'users', url: 'http://localhost:4001/graphql', file: 'fixtures/subgraphs/users.graphql', sdl: fixture('subgraphs/users.graphql') },
  { name: 'posts', url: 'http://localhost:4002/graphql', file: 'fixtures/subgraphs/posts.graphql', sdl: fixture('subgraphs/posts.graphql') },
];
const { supergraphSdl, apiSchemaSdl } = composeSubgraphs(subgraphs);
const validOperation = {
  file: 'operations/feed.graphql',
  sdl: 'query Feed($after: String) {\n  posts(first: 10, after: $after) {\n    edges { node { title author { name } } }\n  }\n}\n',
};

/** Everything up to date and unchanged; each test spoils one part. */
function input(overrides: Partial<SchemaCheckInput> = {}): SchemaCheckInput {
  return {
    subgraphs,
    committed: { 'supergraph.graphql': supergraphSdl, 'schema.graphql': apiSchemaSdl },
    base: { sdl: apiSchemaSdl, label: 'the base' },
    allowList: '[]',
    operations: [validOperation],
    registeredDocuments: [{ id: documentId(validOperation.sdl), body: validOperation.sdl, clients: [{ name: 'web', version: '1.0.0' }] }],
    ...overrides,
  };
}

const outcomes = async (overrides: Partial<SchemaCheckInput>) => (await checkSchema(input(overrides))).map(({ outcome }) => outcome);

describe('checkSchema', () => {
  it('passes every check when all is well', async () => {
    const sections = await checkSchema(input());
    expect(formatSections(sections)).toBe(
      [
        'ok   Composition of users, posts',
        'ok   supergraph.graphql and schema.graphql are what the subgraphs compose to',
        'ok   Breaking changes against the base',
        '       no change',
        'ok   Client operations (1 file) are valid against schema.graphql',
        'ok   Registered operations (1 document of web@1.0.0) are valid against schema.graphql',
        'ok   Schema lint (descriptions, naming, Relay connections)',
      ].join('\n'),
    );
  });

  it('fails when the subgraphs do not compose, with the subgraphs and lines, and skips the rest', async () => {
    const conflicting = [subgraphs[0]!, { ...subgraphs[1]!, sdl: fixture('conflicts/posts-non-shareable-field.graphql') }];
    const sections = await checkSchema(input({ subgraphs: conflicting }));
    expect(sections.map(({ outcome }) => outcome)).toEqual(['failed', 'skipped']);
    expect(sections[0]!.lines).toEqual([
      expect.stringContaining('[INVALID_FIELD_SHARING] Non-shareable field "User.name"'),
      '      at fixtures/subgraphs/posts.graphql:36:3 (subgraph posts)',
      '      at fixtures/subgraphs/users.graphql:27:3 (subgraph users)',
    ]);
  });

  it('fails when a committed artifact is stale or missing, saying where it differs', async () => {
    const stale = apiSchemaSdl.replace('"""Display name."""', '"""The name."""');
    const line = apiSchemaSdl.split('\n').indexOf('  """Display name."""') + 1;
    const [, upToDate] = await checkSchema(input({ committed: { 'supergraph.graphql': undefined, 'schema.graphql': stale } }));
    expect(upToDate).toEqual({
      title: 'supergraph.graphql and schema.graphql are what the subgraphs compose to',
      outcome: 'failed',
      lines: [
        'supergraph.graphql: missing; run `npm run schema:compose` and commit it.',
        `schema.graphql:${line}: out of date; run \`npm run schema:compose\` and commit it.`,
      ],
    });
  });

  it('fails on a breaking change against the base that the allow-list does not record, with no operation registered', async () => {
    const base = apiSchemaSdl.replace('  postCount: Int!', '  postCount: Int!\n\n  """Email address."""\n  email: String');
    const [, , changes] = await checkSchema(input({ base: { sdl: base, label: 'HEAD~1' }, registeredDocuments: [] }));
    expect(changes!.outcome).toBe('failed');
    expect(changes!.lines).toEqual([
      "BREAKING     User.email: Field 'email' was removed from object type 'User'",
      '1 breaking change not in schema-changes.allow.json: deprecate with @deprecated(reason:) first, or, when the break is intended, add to it:',
      '  {"path":"User.email","type":"FIELD_REMOVED","reason":"why it is safe to ship"}',
    ]);

    const allowList = JSON.stringify([{ path: 'User.email', reason: 'Nobody has read it since v2.' }]);
    expect(await outcomes({ base: { sdl: base, label: 'HEAD~1' }, allowList, registeredDocuments: [] })).toEqual(['ok', 'ok', 'ok', 'ok', 'skipped', 'ok']);
  });

  it('fails on an allow-list without reasons, whatever the changes', async () => {
    const [, , changes] = await checkSchema(input({ allowList: '[{ "path": "User.email" }]' }));
    expect(changes).toMatchObject({ outcome: 'failed', lines: [expect.stringMatching(/^schema-changes\.allow\.json \[0\]\.reason: a reason is required/)] });
  });

  it('skips the breaking-change part, saying why, when there is no base', async () => {
    const [, , changes] = await checkSchema(input({ base: { missing: 'no base schema.graphql at HEAD~1' } }));
    expect(changes).toEqual({ title: 'Breaking changes', outcome: 'skipped', lines: ['no base schema.graphql at HEAD~1'] });
  });

  it('fails on a client operation that is not valid against the API schema, with its file and line', async () => {
    const invalid = { file: 'web/src/profile.graphql', sdl: 'query Profile {\n  user(id: "1") {\n    name\n    email\n  }\n}\n' };
    const broken = { file: 'operations/broken.graphql', sdl: 'query Broken {\n  posts(first: 1 {\n' };
    const [, , , operations] = await checkSchema(input({ operations: [validOperation, invalid] }));
    expect(operations).toMatchObject({
      outcome: 'failed',
      lines: ['web/src/profile.graphql:4:5: Cannot query field "email" on type "User".'],
    });
    const [, , , syntax] = await checkSchema(input({ operations: [broken] }));
    expect(syntax!.lines).toEqual(['operations/broken.graphql:2:18: Syntax Error: Expected Name, found "{".']);
  });

  it('validates the operations as one document, so a fragment may live in another file', async () => {
    const fragment = { file: 'operations/post-title.graphql', sdl: 'fragment PostTitle on Post { title }\n' };
    const query = { file: 'operations/titles.graphql', sdl: 'query Titles { posts { edges { node { ...PostTitle } } } }\n' };
    expect((await outcomes({ operations: [fragment, query] }))[3]).toBe('ok');
    expect((await checkSchema(input({ operations: [query] })))[3]!.lines).toEqual(['operations/titles.graphql:1:42: Unknown fragment "PostTitle".']);
  });

  it('fails when the API schema breaks a convention', async () => {
    const undescribed = [subgraphs[0]!, { ...subgraphs[1]!, sdl: subgraphs[1]!.sdl.replace('  """\n  Headline.\n  """\n', '') }];
    const composed = composeSubgraphs(undescribed);
    const sections = await checkSchema(
      input({
        subgraphs: undescribed,
        committed: { 'supergraph.graphql': composed.supergraphSdl, 'schema.graphql': composed.apiSchemaSdl },
        base: { sdl: composed.apiSchemaSdl, label: 'the base' },
      }),
    );
    expect(sections[5]).toMatchObject({
      outcome: 'failed',
      lines: [expect.stringMatching(/^schema\.graphql:\d+:3 \[description\] Post\.title has no description\.$/)],
    });
  });
});

describe('readOperations', () => {
  it('reads the .graphql files of operations/ and web/src/ in a stable order, not generated ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'operations-'));
    try {
      for (const file of ['operations/b.graphql', 'operations/a.graphql', 'operations/__generated__/x.graphql', 'web/src/pages/c.graphql', 'web/src/d.tsx']) {
        mkdirSync(join(root, file, '..'), { recursive: true });
        writeFileSync(join(root, file), `# ${file}`);
      }
      expect(readOperations(pathToFileURL(`${root}/`)).map(({ file }) => file)).toEqual([
        'operations/a.graphql',
        'operations/b.graphql',
        'web/src/pages/c.graphql',
      ]);
      rmSync(join(root, 'web'), { recursive: true });
      expect(readOperations(pathToFileURL(`${root}/`))).toHaveLength(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('readBaseFromGit', () => {
  it('says why there is no base for a ref that does not exist', () => {
    const base = readBaseFromGit('no-such-ref-anywhere', REPO_ROOT);
    expect(base).toEqual({ missing: expect.stringMatching(/^no base schema\.graphql at no-such-ref-anywhere \(.+\)/) });
  });
});
