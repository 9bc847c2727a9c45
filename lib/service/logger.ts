import { pino, type Logger } from 'pino';
import { environment } from './env.ts';

export type { Logger };

/**
 * JSON logs, one logger per service; LOG_LEVEL=silent quiets them (the tests do). Credentials
 * never reach a log line, whatever a caller passes.
 */
export function createLogger(service: string): Logger {
  return pino({
    name: service,
    level: environment().LOG_LEVEL,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.refreshToken', '*.accessToken'],
      censor: '[redacted]',
    },
  });
}
