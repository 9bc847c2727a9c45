// SQL statement counts on request, for debugging N+1 and benchmarks: a client sends
// `x-debug-sql: 1`, the gateway forwards it to the subgraphs, each counts the statements its
// request ran and reports them (`extensions.sqlStatements` over GraphQL, `x-sql-statements` over
// REST), and the gateway adds them up per subgraph. Never in production: the counts describe
// the database's work to whoever asks.
import { isProduction, type EnvironmentSource } from './env.ts';

export const SQL_DEBUG_HEADER = 'x-debug-sql';

/** Whether a request whose `x-debug-sql` header has this value asked for counts, and may have them. */
export function wantsSqlCounts(headerValue: string | string[] | null | undefined, source?: EnvironmentSource): boolean {
  return headerValue === '1' && !isProduction(source);
}
