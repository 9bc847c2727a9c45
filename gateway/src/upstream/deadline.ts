// The operation's deadline over its subgraph calls: one AbortSignal (the context's `deadline`,
// OPERATION_TIMEOUT_MS after the request arrived) that every unit below obeys. When it fires the
// fetch is cancelled, a retry waiting for its backoff stops waiting, and no attempt starts: the
// client gets what is ready, with OPERATION_TIMEOUT on the late subgraph's fields. No options.
import { domainError, ErrorCode } from '#lib/service/errors.ts';
import type { UpstreamUnit } from './types.ts';

export const operationDeadline: UpstreamUnit = (next) => async (request) => {
  const deadline = request.incoming?.context.deadline;
  if (!deadline) return next(request);
  const timeUp = () => domainError(ErrorCode.OperationTimeout, `The ${request.subgraph} service did not answer within the operation's time limit.`);
  if (deadline.aborted) throw timeUp();
  try {
    return await next({ ...request, signal: request.signal ? AbortSignal.any([request.signal, deadline]) : deadline });
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- it may have fired during the call; TypeScript keeps the narrowing from the check above
    if (deadline.aborted) throw timeUp();
    throw error;
  }
};
