import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs, one logger per service; LOG_LEVEL=silent quiets them (the tests do). */
export function createLogger(service: string): Logger {
  return pino({ name: service, level: process.env.LOG_LEVEL ?? 'info' });
}
