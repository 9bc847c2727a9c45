// Applies the limits to each operation once it is parsed and validated, before any subgraph is
// called: its shape (depth, aliases, directives), its cost and page sizes, then the client's
// rate budget.
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError, OperationTypeNode, type DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '#lib/service/auth.ts';
import { ErrorCode } from '#lib/service/errors.ts';
import { limitRefusals, queryCost } from '#lib/service/metrics.ts';
import { operationCost, type OperationCost } from './cost.ts';
import { measureOperation, shapeRefusal, type DocumentShape } from '#lib/service/document-shape.ts';
import { rateLimitClient, type RateLimiter } from './rate-limiter.ts';
import type { LimitSettings } from './settings.ts';

export interface LimitsContext {
  viewer: Viewer | null;
  clientIp: string;
  /** The operation's cost, once computed; reported in `extensions.cost`. */
  cost?: number;
  /** What it drew from the client's rate budget, when one applies (an early cache hit charges the same). */
  rateCharge?: number;
}

function refused(code: string, message: string, details: Record<string, number>, status = 400, headers?: HeaderMap) {
  limitRefusals.inc({ code });
  return new GraphQLError(message, { extensions: { code, ...details, http: headers ? { status, headers } : { status } } });
}

/**
 * Apollo Server hands the same DocumentNode to every request with the same query text (its
 * document cache), so shapes and costs are measured once per document (and variables), not
 * per request: repeated traffic pays a map lookup.
 */
interface Measured {
  shapes: Map<string, DocumentShape>;
  costs: LRUCache<string, OperationCost>;
}
const measuredDocuments = new WeakMap<DocumentNode, Measured>();

function measured(document: DocumentNode): Measured {
  let entry = measuredDocuments.get(document);
  if (!entry) {
    entry = { shapes: new Map(), costs: new LRUCache({ max: 100 }) };
    measuredDocuments.set(document, entry);
  }
  return entry;
}

/**
 * What an operation draws from its client's budget: each root field it runs (an alias runs it
 * again) costs its cost, or its flat price when dearer; at least 1 for the request itself.
 */
function rateCharge({ rootFields }: OperationCost, flatPrices: Record<string, number>): number {
  return Math.max(
    1,
    rootFields.reduce((total, field) => total + Math.max(field.cost, flatPrices[field.name] ?? 0), 0),
  );
}

export function limitsPlugin(settings: LimitSettings, limiter: RateLimiter | null): ApolloServerPlugin<LimitsContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, operation, request, schema, contextValue, response }) {
          const memo = measured(document);
          const shapeKey = operationName ?? '';
          const shape = memo.shapes.get(shapeKey) ?? measureOperation(document, operationName);
          memo.shapes.set(shapeKey, shape);
          const refusal = shapeRefusal(shape, settings);
          if (refusal) {
            limitRefusals.inc({ code: String(refusal.extensions.code) });
            throw refusal;
          }
          const costKey = `${shapeKey}\u0000${JSON.stringify(request.variables ?? {})}`;
          const measuredCost = memo.costs.get(costKey) ?? operationCost(schema, document, request.variables, operationName ?? undefined);
          memo.costs.set(costKey, measuredCost);
          const { cost } = measuredCost;
          contextValue.cost = cost;
          queryCost.observe(cost);
          if (cost > settings.maxCost) {
            throw refused(ErrorCode.QueryTooComplex, `Query too complex: its cost is ${cost}, the limit is ${settings.maxCost}.`, {
              cost,
              maxCost: settings.maxCost,
            });
          }
          if (!limiter || !settings.rateLimit) return;
          const charge = rateCharge(measuredCost, operation?.operation === OperationTypeNode.MUTATION ? settings.mutationCosts : {});
          contextValue.rateCharge = charge;
          const decision = await limiter.consume(rateLimitClient(contextValue.viewer, contextValue.clientIp), charge);
          const headers = new HeaderMap([
            ['ratelimit-limit', String(settings.rateLimit.capacity)],
            ['ratelimit-remaining', String(decision.remaining)],
            ['ratelimit-reset', String(decision.resetSeconds)],
          ]);
          if (!decision.allowed) {
            headers.set('retry-after', String(decision.retryAfterSeconds));
            throw refused(
              ErrorCode.RateLimited,
              `Rate limit reached: this request costs ${charge} and the budget refills at ${settings.rateLimit.refillPerSecond} per second; retry in ${decision.retryAfterSeconds} s.`,
              { cost: charge, retryAfterSeconds: decision.retryAfterSeconds },
              429,
              headers,
            );
          }
          for (const [name, value] of headers) response.http.headers.set(name, value);
        },
        async willSendResponse({ response, contextValue }) {
          if (contextValue.cost === undefined || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { value: contextValue.cost, limit: settings.maxCost } };
        },
      };
    },
  };
}
