// What an operation costs: roughly how many objects it can make the subgraphs resolve. A
// connection multiplies what is under it by the page size its resolver will use (`first`, default
// 20); Relay's `edges` and `node` only pass through; any other list multiplies by an assumed 10;
// every other object counts 1; scalars are free.
// `users(first: 100) { posts(first: 5) { comments(first: 3) { author } } }` costs
// 1 + 100 × (1 + 5 × (1 + 3 × 1)) = 2,101: the SQL statements a naive server would run for it.
//
// The fields are collected as execution collects them (graphql-js's own CollectFields: fragments,
// inline fragments, @skip and @include with the request's variables, one field per response key),
// so what is charged is what will run, however it is reached. Every term is at least 0 and every
// multiplier a page size the resolvers accept (0 to 100), so adding a field never lowers the cost,
// and a `first` the resolvers would refuse refuses the whole operation here, before execution.
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isListType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
// Internal to graphql-js 16 but shipped, and the very function execution uses: nothing to drift.
import { collectFields, collectSubfields } from 'graphql/execution/collectFields.js';
import { ErrorCode } from '#lib/service/errors.ts';
import { PAGE_SIZE_RULE, pageSizeOf } from '#lib/service/page-size.ts';

const ASSUMED_LIST_SIZE = 10;
const RELAY_WRAPPERS = new Set(['edges', 'node']);

interface RootFieldCost {
  /** The field's name (not its alias): what flat prices are keyed by. */
  name: string;
  cost: number;
}

export interface OperationCost {
  /** The sum of the root fields' costs. */
  cost: number;
  /** Each root field execution will run, once per response key. */
  rootFields: RootFieldCost[];
}

function badUserInput(message: string, details: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadUserInput, ...details, http: { status: 400 } } });
}

function fieldDefinition(parentType: GraphQLObjectType, schema: GraphQLSchema, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === SchemaMetaFieldDef.name && parentType === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name && parentType === schema.getQueryType()) return TypeMetaFieldDef;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  return parentType.getFields()[name];
}

/**
 * The cost of the operation the request runs, with its variables. Throws BAD_USER_INPUT (HTTP
 * 400) for variables that do not coerce and for a `first` the resolvers would refuse.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): OperationCost {
  const operation = getOperationAST(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType) return { cost: 0, rootFields: [] };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
  if (coerced.errors) throw badUserInput(coerced.errors[0]!.message);
  const variableValues = coerced.coerced;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );

  /** What a field's selections cost: the dearest of the object types it may turn out to be. */
  const selectionsCost = (type: GraphQLCompositeType, fieldNodes: readonly FieldNode[], path: string): number => {
    const runtimeTypes = isAbstractType(type) ? schema.getPossibleTypes(type) : [type];
    let dearest = 0;
    for (const runtimeType of runtimeTypes) {
      let total = 0;
      for (const [responseKey, nodes] of collectSubfields(schema, fragments, variableValues, runtimeType, fieldNodes)) {
        total += fieldCost(runtimeType, responseKey, nodes, path);
      }
      dearest = Math.max(dearest, total);
    }
    return dearest;
  };

  const fieldCost = (parentType: GraphQLObjectType, responseKey: string, nodes: readonly FieldNode[], parentPath: string): number => {
    const field = fieldDefinition(parentType, schema, nodes[0]!.name.value);
    const type = field && getNamedType(field.type);
    if (!field || !isCompositeType(type)) return 0;
    const path = parentPath ? `${parentPath}.${responseKey}` : responseKey;
    const children = selectionsCost(type, nodes, path);
    if (RELAY_WRAPPERS.has(field.name)) return children;
    if (type.name.endsWith('Connection')) {
      // Coerced as execution will coerce them; the document and variables are valid by now.
      const { first } = getArgumentValues(field, nodes[0]!, variableValues);
      const size = pageSizeOf(first as number | null | undefined);
      if (size === undefined) {
        throw badUserInput(`"first" of ${path} ${PAGE_SIZE_RULE} (got ${String(first)}).`, { argumentName: 'first', field: path });
      }
      return 1 + size * children;
    }
    return 1 + (isListType(getNullableType(field.type)) ? ASSUMED_LIST_SIZE : 1) * children;
  };

  const rootFields = [...collectFields(schema, fragments, variableValues, rootType, operation.selectionSet)].map(([responseKey, nodes]) => ({
    name: nodes[0]!.name.value,
    cost: fieldCost(rootType, responseKey, nodes, ''),
  }));
  return { cost: rootFields.reduce((total, field) => total + field.cost, 0), rootFields };
}
