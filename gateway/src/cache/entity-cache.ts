// The entity cache: the gateway's `_entities` fetches answered entity by entity. Each entity a
// subgraph returned is kept under (subgraph, selection, representation, audience) for the
// maxAge of the subgraph's response; the next fetch of that selection takes what it can from the
// cache and asks the subgraph for the missing representations only. A query that meets entities
// another query already fetched (the authors of a feed, the products of an order) is served
// partly from the cache.
import { Kind, OperationTypeNode, print, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { SubgraphCall, UpstreamRequest, UpstreamResponse } from '../upstream/types.ts';
import { audienceOf, cacheOfContext, digest, parseEntry, policyFromCacheControl, type CacheScope } from './gateway-cache.ts';
import type { CacheEntry } from './store.ts';
import { entityTags, fragmentsOf } from './tags.ts';

interface EntityEntry {
  /** The entity as the subgraph returned it. */
  d: Record<string, unknown>;
  maxAge: number;
  scope: CacheScope;
  storedAt: number;
}

interface EntityFetchShape {
  /** The `_entities` selection with its fragments, printed: the same for every operation that plans it. */
  selectionKey: string;
  selectionSet: SelectionSetNode;
  fragments: Record<string, FragmentDefinitionNode>;
}

// Fetch documents come from query plans, which are cached, and are parsed once per text (upstream/data-source.ts).
const shapes = new WeakMap<DocumentNode, EntityFetchShape | 'other'>();

function entityFetchShape(document: DocumentNode): EntityFetchShape | null {
  let shape = shapes.get(document);
  if (!shape) {
    const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    const [field, ...others] =
      operation?.kind === Kind.OPERATION_DEFINITION && operation.operation === OperationTypeNode.QUERY ? operation.selectionSet.selections : [];
    if (field?.kind !== Kind.FIELD || field.name.value !== '_entities' || others.length || !field.selectionSet) {
      shape = 'other';
    } else {
      const fragments = fragmentsOf(document);
      const printedFragments = Object.keys(fragments)
        .sort()
        .map((name) => print(fragments[name]!));
      shape = { selectionKey: [print(field.selectionSet), ...printedFragments].join('\n'), selectionSet: field.selectionSet, fragments };
    }
    shapes.set(document, shape);
  }
  return shape === 'other' ? null : shape;
}

/** A subgraph call, through the entity cache when it is an `_entities` fetch of a query. */
export async function throughEntityCache(request: UpstreamRequest, next: SubgraphCall): Promise<UpstreamResponse> {
  const { incoming, subgraph, variables } = request;
  // Only calls for a client's operation (not the gateway's health checks).
  const cache = incoming && cacheOfContext(incoming.context);
  const representations = variables.representations as Record<string, unknown>[] | undefined;
  // Mutations read their own writes: their fetches always go to the subgraphs.
  if (!cache || !Array.isArray(representations) || !representations.length || incoming.operation.operation !== OperationTypeNode.QUERY) {
    return next(request);
  }
  const shape = entityFetchShape(request.document);
  if (!shape) return next(request);

  const { store, counting } = cache;
  const { representations: _, ...otherVariables } = variables;
  const fetchKey = `${subgraph}\n${shape.selectionKey}\n${JSON.stringify(otherVariables)}`;
  const audience = audienceOf(incoming.context.viewer);
  const keys = representations.map((representation) => {
    const base = `e:${digest(`${fetchKey}\n${JSON.stringify(representation)}`)}`;
    return { shared: `${base}:${audience.shared}`, own: audience.own && `${base}:${audience.own}` };
  });
  const { values, sequence } = await store.read(keys.flatMap(({ shared, own }) => (own ? [own, shared] : [shared])));
  const now = Date.now();
  const cached = keys.map((_, index) => {
    // The user's own entry first, when there are both.
    const value = audience.own ? (values[2 * index] ?? values[2 * index + 1]) : values[index];
    return value === undefined ? undefined : (parseEntry(value) as EntityEntry | undefined);
  });
  const missing = cached.flatMap((entry, index) => (entry ? [] : [index]));
  counting.count('entity', 'hits', representations.length - missing.length);
  counting.count('entity', 'misses', missing.length);

  // What the cached entities allow: the rest of their time, and their scope.
  const policy = incoming.overallCachePolicy;
  for (const entry of cached) {
    if (entry) policy.restrict({ maxAge: Math.max(0, entry.maxAge - Math.floor((now - entry.storedAt) / 1000)), scope: entry.scope });
  }
  const entities: unknown[] = cached.map((entry) => entry?.d ?? null);
  if (!missing.length) return { data: { _entities: entities } };

  const response = await next({ ...request, variables: { ...variables, representations: missing.map((index) => representations[index]) } });
  const fetched = response.data?._entities as unknown[] | undefined;
  if (Array.isArray(fetched)) missing.forEach((index, position) => (entities[index] = fetched[position] ?? null));
  // Error paths point into the smaller fetch: `_entities.1` of it is `_entities.missing[1]` here.
  const errors = response.errors?.map((error) =>
    error.path?.[0] === '_entities' && typeof error.path[1] === 'number'
      ? { ...error, path: ['_entities', missing[error.path[1]] ?? error.path[1], ...error.path.slice(2)] }
      : error,
  );

  const fetchedPolicy = policyFromCacheControl(response.http?.headers.get('cache-control'));
  if (fetchedPolicy && Array.isArray(fetched) && !errors?.length && sequence !== null) {
    const entries: CacheEntry[] = [];
    missing.forEach((index, position) => {
      const data = fetched[position];
      const key = fetchedPolicy.scope === 'PRIVATE' ? keys[index]!.own : keys[index]!.shared;
      if (!data || typeof data !== 'object' || !key) return;
      const representation = representations[index]!;
      const id = representation.id;
      const tags = entityTags(
        incoming.schema,
        shape.selectionSet,
        shape.fragments,
        String(representation.__typename),
        typeof id === 'string' || typeof id === 'number' ? id : undefined,
        data as Record<string, unknown>,
      );
      if (!tags) return;
      const entry: EntityEntry = { d: data as Record<string, unknown>, ...fetchedPolicy, storedAt: now };
      entries.push({ key, value: JSON.stringify(entry), ttlSeconds: fetchedPolicy.maxAge, tags });
    });
    counting.count('entity', 'writes', entries.length);
    // Not awaited: the store runs its commands in order, so a later read sees this write.
    void store.write(entries, sequence);
  }
  return { ...response, data: { ...response.data, _entities: entities }, ...(errors ? { errors } : {}) };
}
