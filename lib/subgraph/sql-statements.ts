// Counts the SQL statements each request runs, at the driver adapter: every statement Prisma
// sends (queries, raw SQL, transaction control) passes there, whatever produced it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { sqlStatements } from '#lib/service/metrics.ts';
import type { SqlMigrationAwareDriverAdapterFactory, SqlQueryable, Transaction } from '@prisma/driver-adapter-utils';

export interface StatementCounter {
  count: number;
}

const requestCounter = new AsyncLocalStorage<StatementCounter>();

/** Runs `work` (and everything it starts) with its own statement counter. */
export function countStatements<T>(counter: StatementCounter, work: () => T): T {
  return requestCounter.run(counter, work);
}

const COUNTED_METHODS = new Set<PropertyKey>(['queryRaw', 'executeRaw', 'executeScript']);

function counting<Queryable extends SqlQueryable>(queryable: Queryable, database: string): Queryable {
  return new Proxy(queryable, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (COUNTED_METHODS.has(property)) {
        return (...args: unknown[]) => {
          const counter = requestCounter.getStore();
          if (counter) counter.count += 1;
          sqlStatements.inc({ database });
          return method.apply(target, args);
        };
      }
      if (property === 'startTransaction') {
        return async (...args: unknown[]) => counting((await method.apply(target, args)) as Transaction, database);
      }
      return method.bind(target);
    },
  });
}

/** Wraps a driver adapter factory so that the connections it makes count their statements. */
export function countingAdapterFactory<Factory extends SqlMigrationAwareDriverAdapterFactory>(factory: Factory, database: string): Factory {
  return new Proxy(factory, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'connect') return async () => counting(await target.connect(), database);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
