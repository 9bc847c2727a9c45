// Depth, aliases, directives and field count of an operation with its fragments expanded.
// Relay's `edges` and `node` wrappers do not count as levels (`users { edges { node { posts ...`
// is 2 deep), yet their contents are still measured: graphql-depth-limit's `ignore` skips them
// whole, which would let anything hide under `edges`. Each fragment is measured once and reused,
// so a "fragment bomb" (each fragment spreading the next twice) costs linear time to measure while
// its expanded field count grows as it would at execution, and gets refused.
// Introspection (`__schema`, `__type`) adds no depth: the depth limit keeps resolution chains
// through the subgraphs short, and the gateway answers introspection from its own schema. Its
// nesting is bounded by graphql-js's MaxIntrospectionDepthRule, part of standard validation; its
// aliases, directives and fields still count. The standard introspection query that every explorer
// sends is 14 levels deep; production turns introspection off altogether.
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { ErrorCode } from './errors.ts';

export interface DocumentShape {
  depth: number;
  aliases: number;
  directives: number;
  /** Field selections once every fragment is expanded. */
  fields: number;
}

const RELAY_WRAPPERS = new Set(['edges', 'node']);
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);
const EMPTY: DocumentShape = { depth: 0, aliases: 0, directives: 0, fields: 0 };

function selectedOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((operation) => operation.name?.value === operationName) : operations[0];
}

export function measureOperation(document: DocumentNode, operationName?: string | null): DocumentShape {
  const operation = selectedOperation(document, operationName);
  if (!operation) return EMPTY;
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const measured = new Map<string, DocumentShape>();
  const measuring = new Set<string>();

  const measureFragment = (name: string): DocumentShape => {
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(name)) return EMPTY;
    const known = measured.get(name);
    if (known) return known;
    measuring.add(name);
    const inner = measureSet(fragment.selectionSet);
    measuring.delete(name);
    const shape = { ...inner, directives: inner.directives + (fragment.directives?.length ?? 0) };
    measured.set(name, shape);
    return shape;
  };

  function measureSet(selectionSet: SelectionSetNode): DocumentShape {
    const shape = { ...EMPTY };
    const add = (inner: DocumentShape, levels: number) => {
      shape.depth = Math.max(shape.depth, inner.depth + levels);
      shape.aliases += inner.aliases;
      shape.directives += inner.directives;
      shape.fields += inner.fields;
    };
    for (const selection of selectionSet.selections) {
      shape.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        shape.fields += 1;
        if (selection.alias) shape.aliases += 1;
        const name = selection.name.value;
        if (!selection.selectionSet) continue;
        const inner = measureSet(selection.selectionSet);
        if (INTROSPECTION_ROOTS.has(name)) add({ ...inner, depth: 0 }, 0);
        else add(inner, RELAY_WRAPPERS.has(name) ? 0 : 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(measureSet(selection.selectionSet), 0);
      } else {
        add(measureFragment(selection.name.value), 0);
      }
    }
    return shape;
  }

  const shape = measureSet(operation.selectionSet);
  return { ...shape, directives: shape.directives + (operation.directives?.length ?? 0) };
}

/** Our deepest input is 4 levels (placeOrder's items); one of 40,000 overflowed the stack. */
export const MAX_VARIABLE_DEPTH = 32;

/**
 * The first variable whose value nests lists and objects deeper than `maxDepth`, found without
 * recursion: such a value overflows the stack of anything that walks it recursively
 * (JSON.stringify, graphql-js's coercion of a self-referencing input type).
 */
export function variableNestedDeeperThan(maxDepth: number, variables: Record<string, unknown> | undefined): string | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
    for (let next = pending.pop(); next; next = pending.pop()) {
      if (next.value === null || typeof next.value !== 'object') continue;
      if (next.depth === maxDepth) return name;
      for (const inner of Object.values(next.value)) pending.push({ value: inner, depth: next.depth + 1 });
    }
  }
  return undefined;
}

/** The shape limits: the gateway's, and each subgraph's own (with room for query plans). */
export interface ShapeLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Fields once every fragment is expanded; the same number bounds the document's tokens. */
  maxTokens: number;
}

function refused(code: (typeof ErrorCode)[keyof typeof ErrorCode], message: string, details: Record<string, number>) {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status: 400 } } });
}

/** The error that refuses a document of this shape (400, with the numbers involved), or null. */
export function shapeRefusal(shape: DocumentShape, limits: ShapeLimits): GraphQLError | null {
  if (shape.depth > limits.maxDepth) {
    return refused(ErrorCode.QueryTooDeep, `Query too deep: its depth is ${shape.depth}, the limit is ${limits.maxDepth}.`, {
      depth: shape.depth,
      maxDepth: limits.maxDepth,
    });
  }
  if (shape.aliases > limits.maxAliases) {
    return refused(ErrorCode.TooManyAliases, `The query has ${shape.aliases} aliases; the limit is ${limits.maxAliases}.`, {
      aliases: shape.aliases,
      maxAliases: limits.maxAliases,
    });
  }
  if (shape.directives > limits.maxDirectives) {
    return refused(ErrorCode.TooManyDirectives, `The query has ${shape.directives} directives; the limit is ${limits.maxDirectives}.`, {
      directives: shape.directives,
      maxDirectives: limits.maxDirectives,
    });
  }
  if (shape.fields > limits.maxTokens) {
    return refused(ErrorCode.QueryTooComplex, `Query too complex: it selects ${shape.fields} fields once its fragments are expanded.`, {
      fields: shape.fields,
      maxFields: limits.maxTokens,
    });
  }
  return null;
}
