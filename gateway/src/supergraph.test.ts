import { describe, expect, it } from 'vitest';
import { SUPERGRAPH } from '../../test/supergraph-variants.ts';
import { subgraphsOf, withoutSecurityFeatures } from './supergraph.ts';

describe('subgraphsOf', () => {
  it('lists the subgraphs of the supergraph with their URLs, security features stripped or not', () => {
    const subgraphs = [
      { name: 'orders', url: 'http://localhost:4003/graphql' },
      { name: 'posts', url: 'http://localhost:4002/graphql' },
      { name: 'users', url: 'http://localhost:4001/graphql' },
    ];
    expect(subgraphsOf(SUPERGRAPH)).toEqual(subgraphs);
    expect(subgraphsOf(withoutSecurityFeatures(SUPERGRAPH))).toEqual(subgraphs);
  });

  it('finds none in a schema that is no supergraph', () => {
    expect(subgraphsOf('type Query { hello: String }')).toEqual([]);
  });
});
