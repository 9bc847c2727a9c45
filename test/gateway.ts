// Another gateway in front of a running stack's subgraphs, for tests: its own rate-limit budgets.
import { randomUUID } from 'node:crypto';
import type { GatewayOptions } from '../gateway/src/gateway.ts';
import type { RunningService } from '../lib/http.ts';
import { startExtraGateway, type Stack } from '../scripts/stack.ts';

export function subgraphUrlsOf(stack: Stack): Record<string, string> {
  return Object.fromEntries(Object.entries(stack.subgraphs).map(([name, service]) => [name, service.url]));
}

export function gatewayInFrontOf(stack: Stack, options: Partial<GatewayOptions> = {}): Promise<RunningService> {
  // With REDIS_URL set the budgets live in Redis, beyond this test run: a namespace per gateway.
  return startExtraGateway(stack, { rateLimitKeyPrefix: `test:${randomUUID()}:`, ...options });
}
