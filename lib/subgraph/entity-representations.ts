// `_entities` takes representations as `_Any`, which @apollo/subgraph does not check: one without
// a `__typename`, or naming a type this subgraph does not resolve, makes it throw a plain Error,
// an INTERNAL_SERVER_ERROR. The gateway never sends such a thing; a caller reaching the subgraph
// directly can, and gets BAD_USER_INPUT instead.
import { isUnionType, type GraphQLSchema } from 'graphql';
import { badUserInput } from '#lib/service/errors.ts';

/** Wraps the schema's `_entities` resolver (in place) with a check of every representation. */
export function refuseMalformedRepresentations(schema: GraphQLSchema): GraphQLSchema {
  const entities = schema.getQueryType()?.getFields()._entities;
  const entityUnion = schema.getType('_Entity');
  if (!entities?.resolve || !isUnionType(entityUnion)) return schema;
  const entityTypes = new Set(entityUnion.getTypes().map((type) => type.name));
  const resolve = entities.resolve;
  entities.resolve = (source, args: { representations: unknown[] }, context, info) => {
    for (const [index, representation] of args.representations.entries()) {
      const typename = typeof representation === 'object' && representation !== null ? (representation as { __typename?: unknown }).__typename : undefined;
      if (typeof typename !== 'string' || !entityTypes.has(typename)) {
        throw badUserInput(
          `"representations.${index}" must be an object whose "__typename" names an entity type of this subgraph (got ${JSON.stringify(typename ?? null)}).`,
          'representations',
        );
      }
    }
    return resolve(source, args, context, info);
  };
  return schema;
}
