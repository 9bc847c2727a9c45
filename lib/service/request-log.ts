// One log line per HTTP request, with the fields pino-http wrote (req, res, responseTime, err), at
// a fraction of its cost: pino-http made two child loggers per request, and a child serializes
// its bindings at once (the request with its headers, through the redaction), whether or not the
// line is ever written. Here nothing is built unless the request's level is enabled; at the
// production level (info) a request costs the same line as before, at warn a success costs nothing.
import type http from 'node:http';
import { pino, type Level, type Logger } from 'pino';

export interface RequestLogOptions {
  logger: Logger;
  /** Requests not logged unless their response fails to be written (probes and scrapes). */
  ignore?: (request: http.IncomingMessage) => boolean;
}

/** Successful requests are routine (info); client errors warn; failures stand out. */
function levelOf(statusCode: number, failed: boolean): Level {
  return failed || statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/** Logs the request once its response finished, was aborted or failed. */
export function logRequest(request: http.IncomingMessage, response: http.ServerResponse, id: string, options: RequestLogOptions): void {
  const { logger } = options;
  if (!logger.isLevelEnabled('error')) return; // silent
  const started = Date.now();
  const ignored = options.ignore?.(request) ?? false;
  const done = (error?: Error) => {
    response.removeListener('close', done);
    response.removeListener('finish', done);
    response.removeListener('error', done);
    if (ignored && error === undefined) return;
    const failed = error !== undefined || response.statusCode >= 500;
    const level = levelOf(response.statusCode, error !== undefined);
    if (!logger.isLevelEnabled(level)) return;
    const fields = { req: { ...pino.stdSerializers.req(request), id }, res: pino.stdSerializers.res(response), responseTime: Date.now() - started };
    if (failed) logger[level]({ ...fields, err: error ?? new Error(`failed with status code ${response.statusCode}`) }, 'request errored');
    else logger[level](fields, !request.readableAborted && response.writableEnded ? 'request completed' : 'request aborted');
  };
  response.on('close', done);
  response.on('finish', done);
  response.on('error', done);
}
