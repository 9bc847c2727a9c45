// Small helpers for talking GraphQL over real HTTP in tests.
import { afterAll, beforeAll, inject } from 'vitest';
import type { RunningService } from '#lib/service/http.ts';
import { startSubgraph, type SubgraphDefinition } from '#lib/subgraph/service.ts';
import { connectOrdersDatabase } from '../subgraphs/orders/src/db.ts';
import { connectPostsDatabase } from '../subgraphs/posts/src/db.ts';
import { connectUsersDatabase } from '../subgraphs/users/src/db.ts';
import { withLocalKeys } from './auth.ts';
import { databaseUrlEnv, type DatabaseUrls } from '../prisma/postgres.ts';
import { fileDatabaseUrls } from './file-databases.ts';
import './provided-context.ts';

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  contentType: string | null;
  body: {
    data?: Data | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
    extensions?: Record<string, unknown>;
  };
}

export async function postGraphQL<Data = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<Data>> {
  return postRaw<Data>(url, JSON.stringify({ query, variables }), headers);
}

export async function postRaw<Data = Record<string, any>>(url: string, body: string, headers: Record<string, string> = {}): Promise<GraphQLResponse<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const json = (await response.json()) as GraphQLResponse<Data>['body'];
  return { status: response.status, contentType: response.headers.get('content-type'), body: json };
}

/** The databases of the test file that runs: its own fresh copies of the seeded ones. */
export function testDatabaseUrls(): DatabaseUrls {
  const templates = inject('databaseTemplateUrls');
  if (!templates) {
    throw new Error(
      'This test needs PostgreSQL, and unit tests run without it: name its file *.int.test.ts (integration) or put it in e2e/<scenario>/*.e2e.ts.',
    );
  }
  return fileDatabaseUrls(templates);
}

/** The stack's database options for the test databases prepared by the global setup. */
/** Prisma clients of this file's test databases, to check answers against the rows; closed after the file. */
export function useTestDatabaseClients() {
  const urls = testDatabaseUrls();
  const clients = { users: connectUsersDatabase(urls.users), posts: connectPostsDatabase(urls.posts), orders: connectOrdersDatabase(urls.orders) };
  afterAll(() => Promise.all(Object.values(clients).map((client) => client.$disconnect())));
  return clients;
}

export function testDatabaseOptions() {
  return { env: databaseUrlEnv(testDatabaseUrls()) };
}

/** Starts one subgraph on a free port against the test databases. */
/**
 * One subgraph for a test file: started before its tests and closed after them, with a Prisma
 * client on the same database for checking what the tests wrote.
 */
export function useTestSubgraph<Database extends { $disconnect(): Promise<void> }>(
  service: keyof DatabaseUrls,
  createDefinition: (databaseUrl: string) => SubgraphDefinition,
  connect: (databaseUrl: string) => Database,
) {
  const db = connect(testDatabaseUrls()[service]);
  let running: RunningService | undefined;
  beforeAll(async () => {
    running = await startTestSubgraph(service, createDefinition);
  });
  afterAll(async () => {
    await running?.close();
    await db.$disconnect();
  });
  return {
    db,
    get service(): RunningService {
      if (!running) throw new Error(`the ${service} subgraph is not started yet (use it inside a test)`);
      return running;
    },
  };
}

export function startTestSubgraph(service: keyof DatabaseUrls, createDefinition: (databaseUrl: string) => SubgraphDefinition) {
  return startSubgraph(withLocalKeys(createDefinition(testDatabaseUrls()[service])), { port: 0 });
}
