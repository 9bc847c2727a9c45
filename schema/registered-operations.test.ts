// The client-aware schema check with the web app's real operations: its persisted-documents
// manifest, registered as web@0.1.0, against the real subgraphs with one field taken away.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, print, visit, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readManifest, WEB_APP_MANIFEST } from '../documents/manifest.ts';
import { bareDocumentId, documentId, type RegisteredDocument } from '../documents/registry.ts';
import { REPO_ROOT } from '../subgraphs/manifest.ts';
import { checkSchema, formatSections } from './check.ts';
import { composeSubgraphs, readSubgraphSdls, type SubgraphSdl } from './compose.ts';
import {
  fieldUsage,
  formatFieldUsage,
  invalidOperations,
  mergeDocuments,
  operationsByClient,
  operationsConcernedBy,
  parseRegisteredDocuments,
} from './registered-operations.ts';
import { coordinatesUsed, subjectOfChange } from './usage.ts';

const web = { name: 'web', version: '0.1.0' };
const manifest = await readManifest(fileURLToPath(new URL(WEB_APP_MANIFEST, REPO_ROOT)));
const webDocuments: RegisteredDocument[] = Object.entries(manifest).map(([id, body]) => ({ id: bareDocumentId(id), body, clients: [web] }));
const { operations: webOperations } = parseRegisteredDocuments(webDocuments);
const apiSchemaSdl = readFileSync(new URL('schema.graphql', REPO_ROOT), 'utf8');
const apiSchema = buildSchema(apiSchemaSdl);

/** The SDL without one field (`User.role`) or argument (`Query.users.first`) of an object type, defined or extended. */
function without(sdl: string, coordinate: string): string {
  const [typeName, fieldName, argumentName] = coordinate.split('.');
  let removed = false;
  const edit = (node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode) => {
    if (node.name.value !== typeName) return undefined;
    const fields = node.fields?.flatMap((field) => {
      if (field.name.value !== fieldName) return [field];
      removed = argumentName === undefined || field.arguments?.some(({ name }) => name.value === argumentName) === true;
      return argumentName === undefined ? [] : [{ ...field, arguments: field.arguments?.filter(({ name }) => name.value !== argumentName) }];
    });
    return { ...node, fields };
  };
  const edited = print(visit(parse(sdl), { ObjectTypeDefinition: edit, ObjectTypeExtension: edit }));
  if (!removed) throw new Error(`${coordinate} is not in the SDL`);
  return edited;
}

/** The real subgraphs with `Type.field` taken out of the one that defines it. */
function subgraphsWithout(typeName: string, fieldName: string): SubgraphSdl[] {
  const subgraphs = readSubgraphSdls();
  const owner = subgraphs.find(({ sdl }) => {
    try {
      without(sdl, `${typeName}.${fieldName}`);
      return true;
    } catch {
      return false;
    }
  });
  if (!owner) throw new Error(`no subgraph defines ${typeName}.${fieldName}`);
  return subgraphs.map((subgraph) => (subgraph === owner ? { ...subgraph, sdl: without(subgraph.sdl, `${typeName}.${fieldName}`) } : subgraph));
}

/** schema:check's input for a proposed change of the real subgraphs, against today's schema.graphql as the base. */
function proposing(subgraphs: SubgraphSdl[], registeredDocuments: RegisteredDocument[] = webDocuments) {
  const { supergraphSdl, apiSchemaSdl: proposed } = composeSubgraphs(subgraphs);
  return {
    subgraphs,
    committed: { 'supergraph.graphql': supergraphSdl, 'schema.graphql': proposed },
    base: { sdl: apiSchemaSdl, label: 'HEAD' },
    allowList: '[]',
    operations: [],
    registeredDocuments,
  };
}

describe('the client-aware schema check', () => {
  it('fails when a change breaks a registered web-app operation, naming the operation, client version and field', async () => {
    const sections = await checkSchema(proposing(subgraphsWithout('User', 'createdAt')));
    const [, , changes, , registered] = sections;
    expect(changes).toMatchObject({
      outcome: 'failed',
      lines: [
        "BREAKING     User.createdAt: Field 'createdAt' was removed from object type 'User'; used by UserPage (web@0.1.0)",
        expect.stringMatching(/^1 breaking change that registered operations use, not in schema-changes\.allow\.json: .* --retire name@version/),
        '  {"path":"User.createdAt","type":"FIELD_REMOVED","reason":"why it is safe to ship"}',
      ],
    });
    expect(registered).toMatchObject({
      title: `Registered operations (${webDocuments.length} documents of web@0.1.0) are valid against schema.graphql`,
      outcome: 'failed',
      lines: [
        'web@0.1.0 operation UserPage uses User.createdAt: Cannot query field "createdAt" on type "User".',
        expect.stringMatching(/^keep what they use, or retire/),
      ],
    });
  });

  it('fails even when the allow-list records the break: a registered document that no longer validates cannot run', async () => {
    const allowList = JSON.stringify([{ path: 'User.createdAt', reason: 'Nobody reads it.' }]);
    const sections = await checkSchema({ ...proposing(subgraphsWithout('User', 'createdAt')), allowList });
    expect(sections.map(({ outcome }) => outcome)).toEqual(['ok', 'ok', 'ok', 'skipped', 'failed', 'ok']);
  });

  it('passes when the removed field is one no registered operation uses, and says it is safe', async () => {
    const sections = await checkSchema(proposing(subgraphsWithout('AuthPayload', 'refreshTokenExpiresAt')));
    expect(sections.map(({ outcome }) => outcome)).toEqual(['ok', 'ok', 'ok', 'skipped', 'ok', 'ok']);
    expect(sections[2]!.lines).toEqual([
      "BREAKING     AuthPayload.refreshTokenExpiresAt: Field 'refreshTokenExpiresAt' was removed from object type 'AuthPayload'; " +
        'safe: no registered operation uses AuthPayload.refreshTokenExpiresAt',
    ]);
  });

  it('counts the operations of every client version: a field an older version still uses is not safe to remove', async () => {
    const old = { name: 'web', version: '0.0.9' };
    const body = 'query UserPage($id: ID!) { user(id: $id) { id name createdAt } }';
    const oldUserPage = { id: documentId(body), body, clients: [old] };
    const sections = await checkSchema(proposing(subgraphsWithout('User', 'createdAt'), mergeDocuments([oldUserPage], webDocuments)));
    expect(sections[2]!.lines[0]).toBe(
      "BREAKING     User.createdAt: Field 'createdAt' was removed from object type 'User'; used by UserPage (web@0.0.9, web@0.1.0)",
    );
    expect(sections[4]!.lines).toEqual([
      'web@0.0.9 operation UserPage uses User.createdAt: Cannot query field "createdAt" on type "User".',
      'web@0.1.0 operation UserPage uses User.createdAt: Cannot query field "createdAt" on type "User".',
      expect.stringMatching(/--retire name@version/),
    ]);
  });

  it('names the operations a dangerous change concerns, and passes', async () => {
    const refunded = readSubgraphSdls().map((subgraph) =>
      subgraph.name === 'orders'
        ? { ...subgraph, sdl: subgraph.sdl.replace('enum OrderStatus {\n', 'enum OrderStatus {\n  """\n  Paid back.\n  """\n  REFUNDED\n') }
        : subgraph,
    );
    const sections = await checkSchema(proposing(refunded));
    expect(sections.map(({ outcome }) => outcome)).toEqual(['ok', 'ok', 'ok', 'skipped', 'ok', 'ok']);
    expect(sections[2]!.lines).toContain(
      "DANGEROUS    OrderStatus.REFUNDED: Enum value 'REFUNDED' was added to enum 'OrderStatus'; used by CancelOrder, MyOrders, OrderWithBuyer, PlaceOrder (web@0.1.0)",
    );
  });

  it('needs the allow-list for every breaking change when no operation is registered', async () => {
    const sections = await checkSchema(proposing(subgraphsWithout('AuthPayload', 'refreshTokenExpiresAt'), []));
    expect(sections.map(({ outcome }) => outcome)).toEqual(['ok', 'ok', 'failed', 'skipped', 'skipped', 'ok']);
    expect(formatSections([sections[4]!])).toBe('skip Registered operations\n       no registered document and no manifest in the working tree');
  });
});

describe('invalidOperations', () => {
  it('names the field or argument that a registered operation still uses', () => {
    const proposed = buildSchema(without(without(apiSchemaSdl, 'User.role'), 'Query.users.first'));
    const documents = [{ id: 'a'.repeat(64), body: 'query Roles { users(first: 1) { edges { node { role } } } }', clients: [web] }];
    expect(invalidOperations(proposed, parseRegisteredDocuments(documents).operations)).toEqual([
      'web@0.1.0 operation Roles uses Query.users.first: Unknown argument "first" on field "Query.users".',
      'web@0.1.0 operation Roles uses User.role: Cannot query field "role" on type "User".',
    ]);
  });

  it('names the argument whose value no longer fits, not its type', () => {
    const usersFirst = 'How many users to return: 0 to 100, default 20."""\n    first: Int = 20';
    expect(apiSchemaSdl).toContain(usersFirst);
    const proposed = buildSchema(apiSchemaSdl.replace(usersFirst, usersFirst.replace('Int = 20', 'String')));
    const documents = [{ id: 'b'.repeat(64), body: 'query Names { users(first: 1) { edges { node { name } } } }', clients: [web] }];
    expect(invalidOperations(proposed, parseRegisteredDocuments(documents).operations)).toEqual([
      'web@0.1.0 operation Names uses Query.users.first: String cannot represent a non string value: 1',
    ]);
  });

  it('is empty for the web app against the schema it was built for', () => {
    expect(invalidOperations(apiSchema, webOperations)).toEqual([]);
  });
});

describe('parseRegisteredDocuments', () => {
  it('reports a document that does not parse with its clients, and names an anonymous one by its id', () => {
    const { operations, problems } = parseRegisteredDocuments([
      { id: 'f'.repeat(64), body: 'query {', clients: [web] },
      { id: 'e'.repeat(64), body: '{ me { id } }', clients: [web] },
    ]);
    expect(problems).toEqual([`web@0.1.0 document ${'f'.repeat(12)}: Syntax Error: Expected Name, found <EOF>.`]);
    expect(operations.map(({ name }) => name)).toEqual([`document ${'e'.repeat(12)}`]);
  });
});

describe('mergeDocuments', () => {
  it('keeps one entry per document, with the client versions of every source', () => {
    const ios = { name: 'ios', version: '2.0.0' };
    const [document] = webDocuments;
    expect(mergeDocuments([{ ...document!, clients: [ios, web] }], [document!])).toEqual([{ ...document!, clients: [ios, web] }]);
  });
});

describe('usage', () => {
  it('reads fields through fragments, arguments, input fields, enum values, variables and directives', () => {
    const document = parse(`
      query Page($id: ID!, $input: LogInInput!, $withRole: Boolean!) {
        user(id: $id) { ...Card role @include(if: $withRole) }
        logIn(input: $input) { accessToken }
      }
      fragment Card on User { name }
    `);
    const used = coordinatesUsed(apiSchema, document);
    expect([...used].filter((coordinate) => /^(Query|User|LogInInput|@include)\b/.test(coordinate)).sort()).toEqual([
      '@include',
      '@include.if',
      'LogInInput',
      'LogInInput.email',
      'LogInInput.password',
      'Query.logIn',
      'Query.user',
      'Query.user.id',
      'User',
      'User.name',
      'User.role',
    ]);
  });

  it('counts a field selected on an interface as used on each type that implements it', () => {
    const schema = buildSchema('interface Node { id: ID! } type User implements Node { id: ID! name: String } type Query { node: Node }');
    expect([...coordinatesUsed(schema, parse('{ node { id } }'))].sort()).toEqual(['ID', 'Node', 'Node.id', 'Query.node', 'User.id']);
  });

  it('concerns the parent of a required argument added, the element of a directive, and everyone for a root change', () => {
    expect(subjectOfChange({ type: 'FIELD_REMOVED', path: 'User.email' })).toBe('User.email');
    expect(subjectOfChange({ type: 'FIELD_ARGUMENT_ADDED', path: 'Query.users.role' })).toBe('Query.users');
    expect(subjectOfChange({ type: 'INPUT_FIELD_ADDED', path: 'SignUpInput.age' })).toBe('SignUpInput');
    expect(subjectOfChange({ type: 'FIELD_ARGUMENT_TYPE_CHANGED', path: 'Query.posts.first' })).toBe('Query.posts');
    expect(subjectOfChange({ type: 'FIELD_ARGUMENT_REMOVED', path: 'Query.posts.first' })).toBe('Query.posts.first');
    expect(subjectOfChange({ type: 'DIRECTIVE_USAGE_FIELD_DEFINITION_REMOVED', path: 'User.email.@tag' })).toBe('User.email');
    expect(subjectOfChange({ type: 'SCHEMA_QUERY_TYPE_CHANGED', path: '' })).toBeUndefined();
  });

  it('finds the operations a change concerns', () => {
    const concernedBy = operationsConcernedBy(apiSchema, webOperations);
    expect(concernedBy({ type: 'FIELD_REMOVED', path: 'User.createdAt' }).map(({ name }) => name)).toEqual(['UserPage']);
    expect(concernedBy({ type: 'FIELD_REMOVED', path: 'Query.product' })).toEqual([]);
    expect(concernedBy({ type: 'SCHEMA_MUTATION_TYPE_CHANGED', path: '' })).toHaveLength(webOperations.length);
  });

  it('finds the operations that write an input object a required field is added to, in a variable or inline', () => {
    const inline = 'mutation Inline { logIn(input: { email: "a@example.com", password: "secret" }) { accessToken } }';
    const { operations } = parseRegisteredDocuments([{ id: documentId(inline), body: inline, clients: [web] }]);
    const concernedBy = operationsConcernedBy(apiSchema, [...webOperations, ...operations]);
    expect(concernedBy({ type: 'INPUT_FIELD_ADDED', path: 'LogInInput.otp' }).map(({ name }) => name)).toEqual(['LogIn', 'Inline']);
  });
});

describe('operationsByClient', () => {
  it('names the operations by client version, versions that use the same ones together', () => {
    const [web1, web2, ios] = [
      { name: 'web', version: '1.0.0' },
      { name: 'web', version: '2.0.0' },
      { name: 'ios', version: '1.0.0' },
    ];
    const documents = [
      { body: 'query Feed { posts { totalCount } }', clients: [web1, web2, ios] },
      { body: 'query Me { me { id } }', clients: [web1, web2, ios] },
      { body: 'query Orders { me { orders { totalCount } } }', clients: [web2] },
    ];
    const { operations } = parseRegisteredDocuments(documents.map((document) => ({ ...document, id: documentId(document.body) })));
    expect(operationsByClient(operations)).toBe('Feed, Me (ios@1.0.0, web@1.0.0); Feed, Me, Orders (web@2.0.0)');
  });
});

describe('the field-usage report', () => {
  it('lists each field the web app uses with its operations, and the fields it does not use', () => {
    const report = formatFieldUsage(fieldUsage(apiSchema, webOperations));
    expect(report).toMatch(/^Used fields \(\d+\):\n/);
    expect(report).toMatch(/^ {2}User\.createdAt +UserPage \(web@0\.1\.0\)$/m);
    expect(report).toMatch(/^ {2}Mutation\.logIn +LogIn \(web@0\.1\.0\)$/m);
    expect(report).toMatch(/^ {2}User\.role +LogIn, RefreshSession, SignUp, UserPage \(web@0\.1\.0\)$/m);
    const unused = report.slice(report.indexOf('\nUnused fields'));
    expect(unused).toMatch(/^Unused fields \(\d+\):$/m);
    expect(unused).toContain('\n  AuthPayload.refreshTokenExpiresAt\n');
    expect(unused).toContain('\n  Query.product\n');
    expect(unused).not.toContain('User.createdAt');
  });
});
