// Error codes are part of the API: clients branch on `extensions.code`, never on messages.
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  BadRequest: 'BAD_REQUEST',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  NotFound: 'NOT_FOUND',
  InternalServerError: 'INTERNAL_SERVER_ERROR',
} as const;

/** A problem with one argument of the operation, named so that a form can show it beside the field. */
export function badUserInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadUserInput, argumentName } });
}
