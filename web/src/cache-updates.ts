// Cache edits after a mutation, so that lists already on screen show the change without asking
// the server again.
import type { ApolloCache, Reference } from '@apollo/client';

/** A connection as relayStylePagination stores it: edges holding references to the nodes. */
interface StoredConnection {
  edges: readonly { cursor?: string; node: Reference }[];
  totalCount?: number;
}

/**
 * Puts a new node first in a connection field of `owner` (lists are newest first) and counts it.
 * A connection not in the cache yet is left alone: it is fetched, with the node, when shown.
 */
export function prependToConnection(cache: ApolloCache, owner: { __typename: string; id: string }, field: string, node: { __typename: string; id: string }) {
  const ownerId = cache.identify(owner);
  if (!ownerId) return;
  cache.modify<Record<string, StoredConnection>>({
    id: ownerId,
    fields: {
      [field]: (existing, { toReference, readField }) => {
        const connection = existing as StoredConnection;
        const reference = toReference(node);
        if (!reference || connection.edges.some((edge) => readField('id', edge.node) === node.id)) return existing;
        const edge = { __typename: `${node.__typename}Edge`, cursor: '', node: reference };
        return {
          ...connection,
          edges: [edge, ...connection.edges],
          ...(connection.totalCount === undefined ? {} : { totalCount: connection.totalCount + 1 }),
        };
      },
    },
  });
}

/** Names the type of an object of an optimistic response, as the cache needs to normalize it. */
export function withTypename<Name extends string, T extends object>(__typename: Name, value: T): { __typename: Name } & T {
  return { __typename, ...value };
}

/** An id for an optimistic object, replaced by the server's once the mutation returns. */
export function optimisticId(): string {
  return `optimistic-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
