// Error codes are part of the API: clients branch on `extensions.code`, never on messages.
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  BadRequest: 'BAD_REQUEST',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  NotFound: 'NOT_FOUND',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  Conflict: 'CONFLICT',
  OutOfStock: 'OUT_OF_STOCK',
  FailedPrecondition: 'FAILED_PRECONDITION',
  OrderExpired: 'ORDER_EXPIRED',
  /** Too many attempts (at the gateway, per caller; at sign-in, per account): `retryAfterSeconds` says when to retry. */
  RateLimited: 'RATE_LIMITED',
  // Document limits, at the gateway and at each subgraph.
  QueryTooDeep: 'QUERY_TOO_DEEP',
  QueryTooComplex: 'QUERY_TOO_COMPLEX',
  TooManyAliases: 'TOO_MANY_ALIASES',
  TooManyDirectives: 'TOO_MANY_DIRECTIVES',
  OperationTimeout: 'OPERATION_TIMEOUT',
  SubgraphUnavailable: 'SUBGRAPH_UNAVAILABLE',
  /** Trusted documents: an id the registry does not hold (HTTP 404), or a full document it does not hold (HTTP 403). */
  PersistedQueryNotFound: 'PERSISTED_QUERY_NOT_FOUND',
  DocumentNotTrusted: 'DOCUMENT_NOT_TRUSTED',
  /** No gateway replica answers behind the load balancer of `npm run start:distributed`. */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  InternalServerError: 'INTERNAL_SERVER_ERROR',
} as const;

/** A problem with one argument of the operation, named so that a form can show it beside the field. */
export function badUserInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadUserInput, argumentName } });
}

/** Codes for domain errors that carry no more than a message. */
export function domainError(code: (typeof ErrorCode)[keyof typeof ErrorCode], message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export interface FieldError {
  /** The input field, as a path from the argument: `input.email`, `input.items.0.quantity`. */
  field: string;
  message: string;
}

/** Invalid input, with one message per field so that a form can show each beside its field. */
export function invalidInput(fieldErrors: FieldError[]): GraphQLError {
  const summary = fieldErrors.map((error) => `${error.field}: ${error.message}`).join('; ');
  return new GraphQLError(`Invalid input: ${summary}`, {
    extensions: { code: ErrorCode.BadUserInput, fieldErrors },
  });
}
