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

/**
 * The argument (with the path inside it) of the first string holding a NUL character, or null.
 * A variable is named after the argument it is passed to, which is what the client wrote the
 * value for: `$credentials` given to `logIn(input:)` is reported as `input.email`.
 */
export function findNulCharacter(document: DocumentNode, variables: Record<string, unknown> = {}): string | null {
  const variablePaths = new Map<string, string>();
  let found: string | null = null;
  visit(document, {
    Argument(node) {
      found = nulInValue(node.value, node.name.value, variablePaths);
      return found ? BREAK : undefined;
    },
    VariableDefinition(node) {
      found = node.defaultValue ? nulInValue(node.defaultValue, `$${node.variable.name.value}`, variablePaths) : null;
      return found ? BREAK : undefined;
    },
  });
  if (found) return found;
  for (const [name, path] of variablePaths) {
    const inVariable = nulInJson(variables[name], path);
    if (inVariable) return inVariable;
  }
  return null;
}

export function nulCharacterRefused(argumentName: string): GraphQLError {
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
