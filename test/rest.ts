// Helpers for testing the REST endpoints over real HTTP.
import type { AuthSettings } from '#lib/service/auth.ts';
import { authSettingsFromEnv } from '#lib/service/auth.ts';
import type { RunningService } from '#lib/service/http.ts';
import type { SubgraphDefinition } from '#lib/subgraph/service.ts';
import type { DatabaseUrls } from '../prisma/postgres.ts';
import { JWKS_PATH, usersSubgraph } from '../subgraphs/users/src/subgraph.ts';
import { startTestSubgraph } from './graphql.ts';

export interface RestResponse<Body = any> {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when there is none (304). */
  body: Body;
}

export async function getRest<Body = any>(service: RunningService, path: string, headers: Record<string, string> = {}): Promise<RestResponse<Body>> {
  const response = await fetch(new URL(path, service.url), { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/**
 * The users service (it publishes the token keys) and another service whose REST routes verify
 * tokens against those keys over HTTP, as in the stack.
 */
export async function startWithUsersService(
  service: Exclude<keyof DatabaseUrls, 'users'>,
  createDefinition: (databaseUrl: string, auth: AuthSettings) => SubgraphDefinition,
): Promise<{ users: RunningService; service: RunningService; close(): Promise<void> }> {
  const users = await startTestSubgraph('users', usersSubgraph);
  const auth = { ...authSettingsFromEnv(), jwksUrl: new URL(JWKS_PATH, users.url).toString() };
  const other = await startTestSubgraph(service, (databaseUrl) => createDefinition(databaseUrl, auth));
  return {
    users,
    service: other,
    close: async () => {
      await other.close();
      await users.close();
    },
  };
}
