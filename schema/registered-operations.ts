// The operations that clients are known to send, the trusted documents of every published client
// version (documents/registry.ts) plus this repository's own manifest, checked against a proposed
// API schema: a change that breaks one names the operation, its clients and what it uses; a breaking
// change that no operation uses is safe to ship.
import { GraphQLError, Kind, parse, validate, type ASTNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import { clientLabel, type ClientVersion, type RegisteredDocument } from '../documents/registry.ts';
import { forEachCoordinate, outputFieldsOf, subjectOfChange, usageIndex } from './usage.ts';

export interface RegisteredOperation {
  id: string;
  /** `UserPage`, or the id's start for a document without a named operation. */
  name: string;
  clients: ClientVersion[];
  document: DocumentNode;
}

/**
 * All the documents clients are known to send, one entry per document: the registry's, and the
 * working tree's manifest as the client version about to ship. A document both have keeps the
 * clients of both.
 */
export function mergeDocuments(...sources: RegisteredDocument[][]): RegisteredDocument[] {
  const merged = new Map<string, RegisteredDocument>();
  for (const document of sources.flat()) {
    const known = merged.get(document.id);
    const clients = [...(known?.clients ?? []), ...document.clients];
    const distinct = [...new Map(clients.map((client) => [clientLabel(client), client])).values()];
    merged.set(document.id, { ...document, clients: distinct });
  }
  return [...merged.values()];
}

/** Parses each document; one that does not parse (it never ran) is a problem of its own, named by its clients. */
export function parseRegisteredDocuments(documents: RegisteredDocument[]): { operations: RegisteredOperation[]; problems: string[] } {
  const operations: RegisteredOperation[] = [];
  const problems: string[] = [];
  for (const { id, body, clients } of documents) {
    let document: DocumentNode;
    try {
      document = parse(body);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      problems.push(`${clientsOf({ clients })} document ${id.slice(0, 12)}: ${error.message}`);
      continue;
    }
    const names = document.definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [],
    );
    operations.push({ id, name: names.join(', ') || `document ${id.slice(0, 12)}`, clients, document });
  }
  operations.sort((a, b) => a.name.localeCompare(b.name) || clientsOf(a).localeCompare(clientsOf(b)) || a.id.localeCompare(b.id));
  return { operations, problems };
}

/** `web@0.1.0` or `ios@2.3.0, web@0.1.0`: each client version once, sorted. */
export function clientsOf({ clients }: { clients: ClientVersion[] }): string {
  return [...new Set(clients.map(clientLabel))].sort().join(', ');
}

function describeOperation(operation: RegisteredOperation): string {
  return `${clientsOf(operation)} operation ${operation.name}`;
}

/**
 * What no longer works of each operation against the proposed schema, one line per error, naming
 * the client versions, the operation and the coordinate it uses (when the error is about one), e.g.
 * `web@0.1.0 operation UserPage uses User.x: Cannot query field "x" on type "User".`
 */
export function invalidOperations(schema: GraphQLSchema, operations: RegisteredOperation[]): string[] {
  return operations.flatMap((operation) => {
    const errors = validate(schema, operation.document);
    if (!errors.length) return [];
    const used: { coordinate: string; node: ASTNode }[] = [];
    forEachCoordinate(schema, operation.document, (coordinate, node) => used.push({ coordinate, node }));
    return errors.map((error) => {
      const coordinate = error.nodes?.map((node) => innermostCoordinate(used, node)).find((found) => found !== undefined);
      return `${describeOperation(operation)}${coordinate ? ` uses ${coordinate}` : ''}: ${error.message}`;
    });
  });
}

/**
 * The coordinate of the innermost used node that holds this one: an error about an argument's value
 * names the argument, one about a field the field. Of one node's coordinates, the first (its most
 * particular: `Query.users.first`, not `Int`).
 */
function innermostCoordinate(used: { coordinate: string; node: ASTNode }[], node: ASTNode): string | undefined {
  const { start, end } = node.loc ?? { start: -1, end: -1 };
  let innermost: { coordinate: string; span: number } | undefined;
  for (const { coordinate, node: holder } of used) {
    if (!holder.loc || holder.loc.start > start || holder.loc.end < end) continue;
    const span = holder.loc.end - holder.loc.start;
    if (!innermost || span < innermost.span) innermost = { coordinate, span };
  }
  return innermost?.coordinate;
}

/** Which operations a schema change concerns, read against the schema it changes (the base). */
export function operationsConcernedBy(
  baseSchema: GraphQLSchema,
  operations: RegisteredOperation[],
): (change: { type: string; path: string }) => RegisteredOperation[] {
  const index = usageIndex(baseSchema, operations);
  return (change) => {
    const subject = subjectOfChange(change);
    return subject === undefined ? operations : (index.get(subject) ?? []);
  };
}

export interface FieldUsage {
  /** Each output field that an operation uses, with those operations. */
  used: { field: string; operations: RegisteredOperation[] }[];
  /** The output fields no operation uses. */
  unused: string[];
}

export function fieldUsage(schema: GraphQLSchema, operations: RegisteredOperation[]): FieldUsage {
  const index = usageIndex(schema, operations);
  const usage: FieldUsage = { used: [], unused: [] };
  for (const field of outputFieldsOf(schema)) {
    const users = index.get(field);
    if (users) usage.used.push({ field, operations: users });
    else usage.unused.push(field);
  }
  return usage;
}

/**
 * The operations' names by client version, versions that use the same ones together:
 * `FeedPosts, UserPage (web@0.0.9, web@0.1.0); Feed (ios@2.3.0)`.
 */
export function operationsByClient(operations: RegisteredOperation[]): string {
  const names = new Map<string, Set<string>>();
  for (const operation of operations) {
    for (const client of operation.clients.map(clientLabel)) names.set(client, (names.get(client) ?? new Set()).add(operation.name));
  }
  const clients = new Map<string, string[]>();
  for (const [client, operationNames] of [...names].sort(([a], [b]) => a.localeCompare(b))) {
    const key = [...operationNames].sort().join(', ');
    clients.set(key, [...(clients.get(key) ?? []), client]);
  }
  return [...clients].map(([operationNames, versions]) => `${operationNames} (${versions.join(', ')})`).join('; ');
}

export function formatFieldUsage(usage: FieldUsage): string {
  const width = Math.max(0, ...usage.used.map(({ field }) => field.length));
  const used = usage.used.map(({ field, operations }) => `${field.padEnd(width)}  ${operationsByClient(operations)}`);
  const unused = usage.unused.length ? [`Unused fields (${usage.unused.length}):`, ...usage.unused.map((field) => `  ${field}`)] : ['Every field is used.'];
  return [`Used fields (${usage.used.length}):`, ...used.map((line) => `  ${line}`), '', ...unused].join('\n');
}
