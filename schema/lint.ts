// A lint of the client-facing API schema for the API's conventions (docs/api.md): everything a client
// sees is described, names follow GraphQL's usual casing, and lists are Relay connections of the
// one shape our clients page through. Kept small and hand-written: @graphql-eslint covers part of
// it but brings ESLint (70-odd packages) and Relay rules that want a `Node` interface and
// backward paging, which this API does not have; none of its rules checks `totalCount`.
import {
  buildASTSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  parse,
  Source,
  type ASTNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLObjectType,
} from 'graphql';
import { startOf } from './compose.ts';

type LintRule = 'description' | 'naming' | 'connection';

export interface LintProblem {
  rule: LintRule;
  /** A schema coordinate: `User`, `User.posts`, `User.posts(first:)`, `OrderStatus.PAID`. */
  coordinate: string;
  /** What is wrong with it, e.g. `has no description.` */
  message: string;
  /** `file:line:column` of the definition. */
  location: string;
}

const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL_CASE = /^[a-z][A-Za-z0-9]*$/;
const UPPER_CASE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

export function lintSchema(sdl: string, file = 'schema.graphql'): LintProblem[] {
  const schema = buildASTSchema(parse(new Source(sdl, file)));
  const rootTypes = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  const problems: LintProblem[] = [];
  const report = (rule: LintRule, coordinate: string, node: ASTNode | undefined | null, message: string) =>
    problems.push({ rule, coordinate, message, location: locationOf(node, file) });

  const described = (coordinate: string, element: { description?: string | null | undefined; astNode?: ASTNode | null }) => {
    if (!element.description?.trim()) report('description', coordinate, element.astNode, 'has no description.');
  };
  const named = (coordinate: string, name: string, pattern: RegExp, casing: string, node: ASTNode | undefined | null) => {
    if (!pattern.test(name)) report('naming', coordinate, node, `should be ${casing}.`);
  };
  const checkArgument = (coordinate: string, argument: GraphQLArgument) => {
    described(coordinate, argument);
    named(coordinate, argument.name, CAMEL_CASE, 'camelCase', argument.astNode);
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    // What a root operation type is, the spec says; its fields carry the descriptions.
    if (!rootTypes.has(type as never)) described(type.name, type);
    named(type.name, type.name, PASCAL_CASE, 'PascalCase', type.astNode);

    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values<GraphQLField<unknown, unknown> | GraphQLInputField>(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        described(coordinate, field);
        named(coordinate, field.name, CAMEL_CASE, 'camelCase', field.astNode);
        if ('args' in field) {
          for (const argument of field.args) checkArgument(`${coordinate}(${argument.name}:)`, argument);
          checkConnectionArguments(coordinate, field, report);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) {
        const coordinate = `${type.name}.${value.name}`;
        described(coordinate, value);
        named(coordinate, value.name, UPPER_CASE, 'UPPER_CASE', value.astNode);
      }
    }
    if (isObjectType(type)) checkConnectionShape(type, report);
  }
  return problems.sort((a, b) => compareLocations(a.location, b.location));
}

type Report = (rule: LintRule, coordinate: string, node: ASTNode | undefined | null, message: string) => void;

/** `XConnection { edges: [XEdge!]! pageInfo: PageInfo! totalCount: Int! }` and `XEdge { cursor: String! node: X }`. */
function checkConnectionShape(type: GraphQLObjectType, report: Report) {
  if (type.name.endsWith('Connection') && type.name !== 'Connection') {
    const node = type.name.slice(0, -'Connection'.length);
    expectField(type, 'edges', `[${node}Edge!]!`, report);
    expectField(type, 'pageInfo', 'PageInfo!', report);
    expectField(type, 'totalCount', 'Int!', report);
  }
  if (type.name.endsWith('Edge') && type.name !== 'Edge') {
    // `node` may be nullable (an item that vanished), so only its named type is compared.
    expectField(type, 'node', type.name.slice(0, -'Edge'.length), report, { namedTypeOnly: true });
    expectField(type, 'cursor', 'String!', report);
  }
}

function expectField(type: GraphQLObjectType, name: string, wanted: string, report: Report, { namedTypeOnly = false } = {}) {
  const field = type.getFields()[name];
  if (!field) {
    report('connection', type.name, type.astNode, `has no field ${name}: ${wanted} (Relay connection shape).`);
    return;
  }
  const actual = namedTypeOnly ? getNamedType(field.type).name : String(field.type);
  if (actual !== wanted) {
    report('connection', `${type.name}.${name}`, field.astNode, `should be of type ${wanted}, not ${String(field.type)}.`);
  }
}

/** A field that returns a connection pages forward with `first: Int` and `after: String`. */
function checkConnectionArguments(coordinate: string, field: GraphQLField<unknown, unknown>, report: Report) {
  const returned = getNamedType(field.type);
  if (!isObjectType(returned) || !returned.name.endsWith('Connection')) return;
  for (const [name, type] of [
    ['first', 'Int'],
    ['after', 'String'],
  ] as const) {
    const argument = field.args.find((candidate) => candidate.name === name);
    if (!argument) report('connection', coordinate, field.astNode, `returns ${returned.name} but has no argument ${name}: ${type}.`);
    else if (String(argument.type) !== type) {
      report('connection', `${coordinate}(${name}:)`, argument.astNode, `should be of type ${type}, not ${String(argument.type)}.`);
    }
  }
}

export function formatLintProblem(problem: LintProblem): string {
  return `${problem.location} [${problem.rule}] ${problem.coordinate} ${problem.message}`;
}

function locationOf(node: ASTNode | undefined | null, file: string): string {
  const start = node && startOf(node);
  return start ? `${file}:${start.line}:${start.column}` : file;
}

function compareLocations(a: string, b: string): number {
  const position = (location: string) => location.split(':').slice(-2).map(Number);
  const [lineA = 0, columnA = 0] = position(a);
  const [lineB = 0, columnB = 0] = position(b);
  return lineA - lineB || columnA - columnB;
}
