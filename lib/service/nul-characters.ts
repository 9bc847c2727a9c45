// PostgreSQL cannot store U+0000 in text: a string holding one fails the statement, and the
// client would get an internal error from deep inside a resolver. This refuses such strings once,
// before execution, wherever they are in the operation (literals, variables, default values), on
// the gateway and on every subgraph, since the subgraphs can be reached directly too.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, BREAK, type DocumentNode, type ValueNode } from 'graphql';
import { ErrorCode } from './errors.ts';

const NUL = '\u0000';

/** Where a NUL sits inside a value: `input.items.1.productId`, or null when nowhere. */
function nulInValue(value: ValueNode, path: string, variablePaths: Map<string, string>): string | null {
  switch (value.kind) {
    case Kind.STRING:
      return value.value.includes(NUL) ? path : null;
    case Kind.LIST:
      for (const [index, item] of value.values.entries()) {
        const found = nulInValue(item, `${path}.${index}`, variablePaths);
        if (found) return found;
      }
      return null;
    case Kind.OBJECT:
      for (const field of value.fields) {
        const found = nulInValue(field.value, `${path}.${field.name.value}`, variablePaths);
        if (found) return found;
      }
      return null;
    case Kind.VARIABLE:
      if (!variablePaths.has(value.name.value)) variablePaths.set(value.name.value, path);
      return null;
    default:
      return null;
  }
}

function nulInJson(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = nulInJson(item, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

interface DocumentScan {
  /** Where a literal (or a variable's default value) holds a NUL, or null. */
  inLiterals: string | null;
  /** The argument path each variable is first passed to. */
  variablePaths: Map<string, string>;
}

// Apollo Server hands the same DocumentNode to every request with the same query text, so a
// document is walked once; only the variables are looked at on every request.
const scans = new WeakMap<DocumentNode, DocumentScan>();

function scan(document: DocumentNode): DocumentScan {
  const known = scans.get(document);
  if (known) return known;
  const variablePaths = new Map<string, string>();
  let inLiterals: string | null = null;
  visit(document, {
    Argument(node) {
      inLiterals = nulInValue(node.value, node.name.value, variablePaths);
      return inLiterals ? BREAK : undefined;
    },
    VariableDefinition(node) {
      inLiterals = node.defaultValue ? nulInValue(node.defaultValue, `$${node.variable.name.value}`, variablePaths) : null;
      return inLiterals ? BREAK : undefined;
    },
  });
  const result = { inLiterals, variablePaths };
  scans.set(document, result);
  return result;
}

/**
 * The argument (with the path inside it) of the first string holding a NUL character, or null.
 * A variable is named after the argument it is passed to, which is what the client wrote the
 * value for: `$credentials` given to `logIn(input:)` is reported as `input.email`.
 */
export function findNulCharacter(document: DocumentNode, variables: Record<string, unknown> = {}): string | null {
  const { inLiterals, variablePaths } = scan(document);
  if (inLiterals) return inLiterals;
  for (const [name, path] of variablePaths) {
    const inVariable = nulInJson(variables[name], path);
    if (inVariable) return inVariable;
  }
  return null;
}

function nulCharacterRefused(argumentName: string): GraphQLError {
  return new GraphQLError(`"${argumentName}" must not contain the NUL character (U+0000): remove it and try again.`, {
    extensions: { code: ErrorCode.BadUserInput, argumentName, http: { status: 400 } },
  });
}

/** Refuses, with 400 BAD_USER_INPUT naming the argument, an operation with a NUL in any string it passes. */
export const refuseNulCharactersPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        const argumentName = findNulCharacter(document, request.variables);
        if (argumentName) throw nulCharacterRefused(argumentName);
      },
    };
  },
};
