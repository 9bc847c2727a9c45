// What to do when the databases cannot be opened: a configured server that does not answer, or an
// embedded one that another command holds. The messages name the variable the URL came from and
// the way back to the embedded default.
import { listed } from '#lib/service/env-rules.ts';

/** What a connection error means, in words, with the driver's own message after it. */
function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const reason =
    code === 'ECONNREFUSED'
      ? 'nothing accepts connections there'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'its host name does not resolve'
        : code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timeout/i.test(message ?? '')
          ? 'it does not answer'
          : code === '28P01' || code === '28000'
            ? 'it refused the user name or password'
            : undefined;
  return reason ? `${reason} (${message})` : (message ?? String(error));
}

export interface UnreachableDatabase {
  /** The variable the URL came from: DATABASE_URL or a subgraph's own, USERS_DATABASE_URL say. */
  variable: string;
  url: string;
  error: unknown;
  /** Every database variable that is set: unsetting them all goes back to the embedded server. */
  setVariables: readonly string[];
  embeddedDir: string;
}

export function unreachableDatabaseMessage({ variable, url, error, setVariables, embeddedDir }: UnreachableDatabase): string {
  // The host only: the URL may hold a password.
  const { host } = new URL(url);
  return (
    `Cannot connect to the PostgreSQL server of ${variable} (${host}): ${reasonOf(error)}. ` +
    `Start that server or correct ${variable}; or unset ${listed(setVariables, 'and')} to use the embedded PostgreSQL (kept in ${embeddedDir}).`
  );
}

export interface EmbeddedServerInUse {
  dataDir: string;
  pid: number;
  port: number;
}

/** The embedded server runs, but not for an `npm start` (which is told apart before): another command holds it. */
export function embeddedServerInUseMessage({ dataDir, pid, port }: EmbeddedServerInUse): string {
  return (
    `The embedded PostgreSQL in ${dataDir} is already running (pid ${pid}, port ${port}) for another command: ` +
    'an `npm run db:*` that has not finished, or one left behind by a start that was killed. ' +
    `Wait for that command to end, or stop the server with \`kill ${pid}\`.`
  );
}
