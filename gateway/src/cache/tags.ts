// Which entities a cached value holds, as the invalidation tags of lib/cache-invalidation.ts.
// The value is walked along the selection that produced it, with the schema giving each field's
// type: an object of a type with an `id` is tagged `Type#id` when the selection read its id, and
// `Type` when it did not (any change to any such object then drops the value). Objects in a root
// list (`posts(first: 10)`) are tagged `Type` as well, because creating or deleting one changes
// the list; lists below an entity (`User.posts`) belong to that entity and go with its tag.
import {
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type FieldNode,
  type SelectionSetNode,
} from 'graphql';
import { entityTag } from '#lib/service/cache-invalidation.ts';

type Fragments = Record<string, FragmentDefinitionNode>;

interface Walk {
  schema: GraphQLSchema;
  fragments: Fragments;
  tags: Set<string>;
}

/** Thrown inside the walk when a value cannot be tagged; the value is then not cached. */
class Untaggable extends Error {}

export function fragmentsOf(document: DocumentNode): Fragments {
  const fragments: Fragments = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

function identifiable(type: GraphQLNamedType): type is GraphQLObjectType {
  return isObjectType(type) && type.getFields().id !== undefined;
}

function applies(walk: Walk, typeCondition: string | undefined, type: GraphQLObjectType): boolean {
  if (!typeCondition || typeCondition === type.name) return true;
  const condition = walk.schema.getType(typeCondition);
  return !!condition && isAbstractType(condition) && walk.schema.isSubType(condition, type);
}

/** The fields a selection set asks of an object of `type`, fragments expanded. */
function fieldsFor(walk: Walk, type: GraphQLObjectType, selectionSet: SelectionSetNode, into: FieldNode[] = []): FieldNode[] {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(walk, selection.typeCondition?.name.value, type)) fieldsFor(walk, type, selection.selectionSet, into);
    } else {
      const fragment = walk.fragments[selection.name.value];
      if (!fragment) throw new Untaggable(`unknown fragment ${selection.name.value}`);
      if (applies(walk, fragment.typeCondition.name.value, type)) fieldsFor(walk, type, fragment.selectionSet, into);
    }
  }
  return into;
}

function walkObject(
  walk: Walk,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  data: Record<string, unknown>,
  inRootList: boolean,
  knownId?: string | number,
) {
  const fields = fieldsFor(walk, type, selectionSet);
  let ownedLists = inRootList;
  if (identifiable(type)) {
    const idField = fields.find((field) => field.name.value === 'id');
    const id = knownId ?? (idField ? data[idField.alias?.value ?? 'id'] : undefined);
    walk.tags.add(typeof id === 'string' || typeof id === 'number' ? entityTag(type.name, id) : type.name);
    if (inRootList) walk.tags.add(type.name);
    ownedLists = false;
  }
  for (const field of fields) {
    const name = field.name.value;
    if (name === '__typename') continue;
    const value = data[field.alias?.value ?? name];
    if (value === undefined) continue; // skipped by @skip/@include
    const definition = type.getFields()[name];
    if (!definition) throw new Untaggable(`${type.name}.${name} is not in the schema`);
    walkValue(walk, definition.type, field.selectionSet, value, ownedLists);
  }
}

function walkValue(walk: Walk, type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined, value: unknown, inRootList: boolean) {
  if (!selectionSet) return; // a leaf: scalars and enums hold no entity
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  const named = getNamedType(unwrapped);
  if (value === null) {
    // Nothing now; a change may put something there (a post created with the id asked for).
    const possible = isAbstractType(named) ? walk.schema.getPossibleTypes(named) : [named];
    for (const candidate of possible) if (identifiable(candidate)) walk.tags.add(candidate.name);
    return;
  }
  if (isListType(unwrapped)) {
    if (!Array.isArray(value)) throw new Untaggable('a list that is not an array');
    for (const item of value) walkValue(walk, unwrapped.ofType, selectionSet, item, inRootList);
    return;
  }
  if (typeof value !== 'object') throw new Untaggable('an object that is not one');
  const object = value as Record<string, unknown>;
  const runtime = isObjectType(named) ? named : walk.schema.getType(String(object.__typename));
  if (!runtime || !isObjectType(runtime)) throw new Untaggable(`no concrete type for a ${named.name}`);
  walkObject(walk, runtime, selectionSet, object, inRootList);
}

/** The tags of a query's result, or null when it cannot be tagged (then it is not cached). */
export function responseTags(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  data: Record<string, unknown>,
): string[] | null {
  const operation = document.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName),
  );
  const root = schema.getQueryType();
  if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== OperationTypeNode.QUERY || !root) return null;
  const walk: Walk = { schema, fragments: fragmentsOf(document), tags: new Set() };
  try {
    for (const field of fieldsFor(walk, root, operation.selectionSet)) {
      const name = field.name.value;
      const value = data[field.alias?.value ?? name];
      if (name === '__typename' || value === undefined) continue;
      const definition = root.getFields()[name];
      if (!definition) throw new Untaggable(`Query.${name} is not in the schema`);
      // `post(id:)` is one entity; anything else from the root (a connection, a list) is a list.
      const returned = isNonNullType(definition.type) ? definition.type.ofType : definition.type;
      const single = !isListType(returned) && identifiable(getNamedType(returned));
      walkValue(walk, definition.type, field.selectionSet, value, !single);
    }
  } catch (error) {
    if (error instanceof Untaggable) return null;
    throw error;
  }
  return [...walk.tags];
}

/** The tags of one entity of an `_entities` fetch (its own, and those of what it holds), or null. */
export function entityTags(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  fragments: Fragments,
  typename: string,
  id: string | number | undefined,
  data: Record<string, unknown>,
): string[] | null {
  const type = schema.getType(typename);
  if (!type || !isObjectType(type)) return null;
  const walk: Walk = { schema, fragments, tags: new Set() };
  if (!identifiable(type)) walk.tags.add(typename);
  try {
    walkObject(walk, type, selectionSet, data, false, id);
  } catch (error) {
    if (error instanceof Untaggable) return null;
    throw error;
  }
  return [...walk.tags];
}
