// Randomly mutated documents (deterministic: a seeded generator) must never make the gateway
// answer 5xx or fall over: each is an answer or a clear 4xx, and the server is alive afterwards.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { postGraphQL, postRaw } from '../../test/graphql.ts';
import { useTestStack } from '../../test/gateway.ts';

const stack = useTestStack();


function random(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

const corpus = [
  ...readdirSync('operations')
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => readFileSync(`operations/${file}`, 'utf8')),
  'mutation { placeOrder(input: { items: [{ productId: "1", quantity: 1 }] }, idempotencyKey: "fuzz-key-1") { id } }',
  'query ($first: Int, $after: String) { posts(first: $first, after: $after) { edges { cursor node { id } } } }',
];
const NOISE = ['{', '}', '(', ')', '...', '@include(if: true)', '$x', '"', '\\u0000', 'fragment F on User { ...F }', ':', '!', '[', ']', '100000000000', '#', ' ', 'query', '__schema', '\n'];

function mutate(document: string, pick: (below: number) => number): string {
  let text = document;
  for (let step = 0; step < 1 + pick(4); step++) {
    const at = pick(text.length + 1);
    switch (pick(4)) {
      case 0: // delete a span
        text = text.slice(0, at) + text.slice(at + 1 + pick(12));
        break;
      case 1: // insert noise
        text = text.slice(0, at) + NOISE[pick(NOISE.length)] + text.slice(at);
        break;
      case 2: // repeat a span
        text = text.slice(0, at) + text.slice(at, at + pick(40)).repeat(1 + pick(6)) + text.slice(at);
        break;
      default: // swap the halves
        text = text.slice(at) + text.slice(0, at);
    }
  }
  return text;
}

describe('fuzzing the gateway', () => {
  it('answers 400 random mutations of real documents without a 5xx, and stays alive', async () => {
    const pick = random(20_261_124);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const query = mutate(corpus[pick(corpus.length)]!, pick);
      const variables = pick(3) === 0 ? { first: pick(200) - 50, after: 'x'.repeat(pick(10)) } : undefined;
      const body = pick(10) === 0 ? query : JSON.stringify({ query, variables });
      const { status } = await postRaw(stack.gateway.url, body);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(status, `document ${i}: ${body.slice(0, 200)}`).toBeLessThan(500);
    }
    // Most mutations break the document: the fuzzing reached the parser and the validator.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
    const alive = await postGraphQL(stack.gateway.url, '{ products(first: 1) { totalCount } }');
    expect(alive.status).toBe(200);
  });
});
