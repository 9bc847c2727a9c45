// The document limits each subgraph applies itself. A subgraph can be reached without the gateway
// (by anything on its network), so the gateway's limits alone would leave it open to a document
// too deep, too aliased or too long. The subgraphs read the gateway's variables and allow what
// the gateway's query plans make of a query the gateway accepted:
// - one level more: an `_entities` fetch counts `_entities` as a level where the client's query
//   may have reached the entity through a Relay `node`, which is not one;
// - twice the counts: the planner expands the client's fragments where it cannot reuse them, and
//   adds `__typename` and key fields at each entity boundary (measured: a query of 470 tokens,
//   15 aliased spreads of one fragment, becomes a fetch of 794).
import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { measureOperation, shapeRefusal, type DocumentShape, type ShapeLimits } from '#lib/service/document-shape.ts';
import { environment, type EnvironmentSource } from '#lib/service/env.ts';

/** Tokens count while parsing, and fields once fragments are expanded (fragment bombs). */
export type SubgraphLimits = ShapeLimits;

/** The gateway's defaults (gateway/src/limits/settings.ts), which the same variables tune. */
const GATEWAY_DEFAULTS: SubgraphLimits = { maxDepth: 5, maxAliases: 15, maxDirectives: 50, maxTokens: 2_000 };

export function subgraphLimitsFromEnv(source?: EnvironmentSource): SubgraphLimits {
  const gateway = environment(source);
  return {
    maxDepth: (gateway.MAX_QUERY_DEPTH ?? GATEWAY_DEFAULTS.maxDepth) + 1,
    maxAliases: (gateway.MAX_QUERY_ALIASES ?? GATEWAY_DEFAULTS.maxAliases) * 2,
    maxDirectives: (gateway.MAX_QUERY_DIRECTIVES ?? GATEWAY_DEFAULTS.maxDirectives) * 2,
    maxTokens: (gateway.MAX_QUERY_TOKENS ?? GATEWAY_DEFAULTS.maxTokens) * 2,
  };
}

// Apollo Server hands the same DocumentNode to every request with the same text (its document
// cache), and the gateway sends the same few fetches over and over: each is measured once.
const shapes = new WeakMap<DocumentNode, Map<string, DocumentShape>>();

function shapeOf(document: DocumentNode, operationName: string | null): DocumentShape {
  let byOperation = shapes.get(document);
  if (!byOperation) shapes.set(document, (byOperation = new Map<string, DocumentShape>()));
  let shape = byOperation.get(operationName ?? '');
  if (!shape) byOperation.set(operationName ?? '', (shape = measureOperation(document, operationName)));
  return shape;
}

/**
 * Refuses, with 400, an operation whose shape exceeds the limits, before it runs. The token limit
 * is Apollo Server's `parseOptions.maxTokens`, applied while parsing.
 */
export function subgraphLimitsPlugin(limits: SubgraphLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName }) {
          const refusal = shapeRefusal(shapeOf(document, operationName), limits);
          if (refusal) throw refusal;
        },
      };
    },
  };
}
