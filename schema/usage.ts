// What a client operation uses of a schema, as schema coordinates in GraphQL Inspector's path style
// (`User.posts`, `Query.user.id` for an argument, `SignUpInput.email`, `OrderStatus.PAID`, `@include`),
// so that a schema change's path says which operations it concerns. Read with graphql's TypeInfo,
// which knows the type of every selection, fragment and argument as the document is walked.
import { ChangeType } from '@graphql-inspector/core';
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isInterfaceType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Calls `found` with each coordinate the document uses and the node that uses it. A selection of a
 * field the schema lacks is still reported (`User.x`), as long as its parent type is known: that is
 * how a registered operation names what a proposed schema takes away.
 */
export function forEachCoordinate(schema: GraphQLSchema, document: DocumentNode, found: (coordinate: string, node: ASTNode) => void): void {
  const typeInfo = new TypeInfo(schema);
  const reached = new Set<string>();
  // A variable's value is written by the client, not the document: any field of its input type,
  // and any value of an enum in it, may be sent.
  const everythingIn = (type: GraphQLNamedType, node: ASTNode) => {
    if (reached.has(type.name)) return;
    reached.add(type.name);
    found(type.name, node);
    if (isEnumType(type)) for (const value of type.getValues()) found(`${type.name}.${value.name}`, node);
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        found(`${type.name}.${field.name}`, node);
        everythingIn(getNamedType(field.type), node);
      }
    }
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        // __typename and introspection are the same on every schema: no change concerns them.
        if (!parent || node.name.value.startsWith('__')) return;
        found(`${parent.name}.${node.name.value}`, node);
        // A field selected on an interface or union is answered by each type that implements it.
        if (isAbstractType(parent)) for (const type of schema.getPossibleTypes(parent)) found(`${type.name}.${node.name.value}`, node);
        const type = typeInfo.getType();
        if (type) found(getNamedType(type).name, node);
      },
      // Each node's most particular coordinate first: an error about the node names that one.
      Argument(node) {
        const directive = typeInfo.getDirective();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (directive) found(`@${directive.name}.${node.name.value}`, node);
        else if (field && parent) found(`${parent.name}.${field.name}.${node.name.value}`, node);
        const type = typeInfo.getInputType();
        if (type) found(getNamedType(type).name, node);
      },
      Directive(node) {
        found(`@${node.name.value}`, node);
      },
      ObjectField(node) {
        const input = typeInfo.getParentInputType();
        if (input && isInputObjectType(getNamedType(input))) found(`${getNamedType(input).name}.${node.name.value}`, node);
        const type = typeInfo.getInputType();
        if (type) found(getNamedType(type).name, node);
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        if (type) found(`${getNamedType(type).name}.${node.value}`, node);
      },
      VariableDefinition(node) {
        const type = typeInfo.getInputType();
        if (type) everythingIn(getNamedType(type), node);
      },
      InlineFragment(node) {
        const type = typeInfo.getType();
        if (type && node.typeCondition) found(getNamedType(type).name, node);
      },
      FragmentDefinition(node) {
        const type = typeInfo.getType();
        if (type) found(getNamedType(type).name, node);
      },
    }),
  );
}

export function coordinatesUsed(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const used = new Set<string>();
  forEachCoordinate(schema, document, (coordinate) => used.add(coordinate));
  return used;
}

// A changed type or default of an argument or input field concerns the operations that leave it
// out too: it may have become required, or they get another default.
const CONCERNS_THE_OWNER = new Set<string>([
  ChangeType.FieldArgumentTypeChanged,
  ChangeType.FieldArgumentDefaultChanged,
  ChangeType.InputFieldTypeChanged,
  ChangeType.InputFieldDefaultValueChanged,
]);

/**
 * The coordinate whose users a change concerns. A change to a directive on an element concerns
 * the element's users; an addition (a required argument or input field), or a changed type or
 * default of an argument or input field, concerns the users of what it belongs to; a change with
 * no path (the schema's root types) concerns every operation, which `undefined` stands for.
 */
export function subjectOfChange(change: { type: string; path: string }): string | undefined {
  const segments = change.path.split('.');
  while (segments.length > 1 && segments.at(-1)!.startsWith('@')) segments.pop();
  if ((change.type.endsWith('_ADDED') || CONCERNS_THE_OWNER.has(change.type)) && segments.length > 1) segments.pop();
  const subject = segments.join('.');
  return subject === '' ? undefined : subject;
}

/** Which operations use each coordinate, for operations that each carry their parsed document. */
export function usageIndex<Operation extends { document: DocumentNode }>(schema: GraphQLSchema, operations: readonly Operation[]): Map<string, Operation[]> {
  const index = new Map<string, Operation[]>();
  for (const operation of operations) {
    for (const coordinate of coordinatesUsed(schema, operation.document)) {
      const users = index.get(coordinate);
      if (users) users.push(operation);
      else index.set(coordinate, [operation]);
    }
  }
  return index;
}

/** The output fields of a schema (object and interface types, not introspection's), as `Type.field`. */
export function outputFieldsOf(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) || isInterfaceType(type))
    .filter((type) => !type.name.startsWith('__'))
    .flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`))
    .sort();
}
