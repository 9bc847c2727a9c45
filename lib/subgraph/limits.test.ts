import { describe, expect, it } from 'vitest';
import { subgraphLimitsFromEnv } from './limits.ts';

describe('subgraph limits', () => {
  it('allow what the gateway plans from its own defaults: one level more, twice the counts', () => {
    expect(subgraphLimitsFromEnv({})).toEqual({ maxDepth: 6, maxAliases: 30, maxDirectives: 100, maxTokens: 4_000 });
  });

  it("follow the gateway's variables", () => {
    const env = { MAX_QUERY_DEPTH: '8', MAX_QUERY_ALIASES: '5', MAX_QUERY_DIRECTIVES: '10', MAX_QUERY_TOKENS: '500' };
    expect(subgraphLimitsFromEnv(env)).toEqual({ maxDepth: 9, maxAliases: 10, maxDirectives: 20, maxTokens: 1_000 });
  });

  it('refuse to start on a value that is not a positive integer, naming the variable', () => {
    expect(() => subgraphLimitsFromEnv({ MAX_QUERY_DEPTH: 'deep' })).toThrow(/^Invalid limit settings: MAX_QUERY_DEPTH must be a whole number/);
    expect(() => subgraphLimitsFromEnv({ MAX_QUERY_TOKENS: '0' })).toThrow(/MAX_QUERY_TOKENS/);
  });
});
