// Another gateway in front of a running stack's subgraphs, with settings of its own.
import { randomUUID } from 'node:crypto';
import { readSupergraph, startGateway, type GatewayOptions } from '../gateway/src/gateway.ts';
import { authSettingsFromEnv } from '../lib/auth.ts';
import type { RunningService } from '../lib/http.ts';
import type { Stack } from '../scripts/stack.ts';
import { JWKS_PATH } from '../subgraphs/users/src/subgraph.ts';

export function subgraphUrlsOf(stack: Stack): Record<string, string> {
  return Object.fromEntries(Object.entries(stack.subgraphs).map(([name, service]) => [name, service.url]));
}

export function gatewayInFrontOf(stack: Stack, options: Partial<GatewayOptions> = {}): Promise<RunningService> {
  return startGateway({
    port: 0,
    supergraphSdl: readSupergraph('supergraph.graphql'),
    subgraphUrls: subgraphUrlsOf(stack),
    auth: { ...authSettingsFromEnv(), jwksUrl: new URL(JWKS_PATH, stack.subgraphs.users.url).toString() },
    // Budgets of their own: with REDIS_URL set they live in Redis, beyond this test run.
    rateLimitKeyPrefix: `test:${randomUUID()}:`,
    ...options,
  });
}
