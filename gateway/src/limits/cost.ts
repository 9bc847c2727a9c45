// What an operation costs: roughly how many objects it can make the subgraphs resolve. A
// connection multiplies what is under it by its `first` (default 20); Relay's `edges` and
// `node` only pass through; any other list multiplies by an assumed 10; scalars are free.
// `users(first: 100) { posts(first: 5) { comments(first: 3) { author } } }` costs
// 1 + 100 × (1 + 5 × (1 + 3 × 1)) = 2,101: the SQL statements a naive server would run for it.
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { ErrorCode } from '../../../lib/errors.ts';
import { DEFAULT_PAGE_SIZE } from '../../../lib/pagination.ts';

const ASSUMED_LIST_SIZE = 10;

export const costEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!isCompositeType(getNamedType(field.type))) return 0;
  if (field.name === 'edges' || field.name === 'node') return childComplexity;
  if (getNamedType(field.type).name.endsWith('Connection')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + first * childComplexity;
  }
  return 1 + (isListType(getNullableType(field.type)) ? ASSUMED_LIST_SIZE : 1) * childComplexity;
};

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  try {
    return getComplexity({ schema, query: document, variables, operationName, estimators: [costEstimator] });
  } catch (error) {
    // The document is valid by now, so what fails here is coercing the variables: the client's input.
    throw new GraphQLError(error instanceof Error ? error.message : String(error), {
      extensions: { code: ErrorCode.BadUserInput, http: { status: 400 } },
    });
  }
}
