// The stack for end-to-end tests, and other gateways in front of it with settings of their own.
import { randomUUID } from 'node:crypto';
import type { GatewayOptions } from '../gateway/src/gateway.ts';
import type { RunningService } from '#lib/service/http.ts';
import { afterAll, beforeAll } from 'vitest';
import { freePorts, startExtraGateway, startStack, type Stack } from '../scripts/stack.ts';
import { testDatabaseOptions } from './graphql.ts';

export { subgraphUrlsOf } from '../scripts/stack.ts';

export function gatewayInFrontOf(stack: Stack, options: Partial<GatewayOptions> = {}): Promise<RunningService> {
  // With REDIS_URL set the budgets live in Redis, beyond this test run: a namespace per gateway.
  return startExtraGateway(stack, { rateLimitKeyPrefix: `test:${randomUUID()}:`, ...options });
}

/**
 * The whole stack for a test file, on free ports and the test databases: started before its
 * tests, stopped after every other `afterAll` of the file (hooks after run in reverse order).
 */
export function useTestStack(): Stack {
  let running: Stack | undefined;
  beforeAll(async () => {
    running = await startStack({ ports: freePorts(), database: testDatabaseOptions(), seed: false });
  });
  afterAll(() => running?.stop());
  const started = () => {
    if (!running) throw new Error('the test stack is not started yet (use it inside a test or a hook)');
    return running;
  };
  return {
    get gateway() {
      return started().gateway;
    },
    get subgraphs() {
      return started().subgraphs;
    },
    get databases() {
      return started().databases;
    },
    get web() {
      return started().web;
    },
    stop: () => started().stop(),
  };
}
