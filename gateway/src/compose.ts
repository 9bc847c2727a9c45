// Supergraph composition from the subgraphs' SDL files with Apollo's composition library: the
// same `supergraph.graphql` that Apollo Router can serve, and the client-facing API schema.
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';

export const SUBGRAPHS = [
  { name: 'users', defaultUrl: 'http://localhost:4001/graphql' },
  { name: 'posts', defaultUrl: 'http://localhost:4002/graphql' },
  { name: 'orders', defaultUrl: 'http://localhost:4003/graphql' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export function subgraphSchemaFile(name: SubgraphName): URL {
  return new URL(`../../subgraphs/${name}/schema.graphql`, import.meta.url);
}

export interface Composition {
  supergraphSdl: string;
  apiSchemaSdl: string;
}

export class CompositionError extends Error {}

export function composeSupergraph(): Composition {
  const services = SUBGRAPHS.map(({ name, defaultUrl }) => {
    const file = subgraphSchemaFile(name);
    return { name, url: defaultUrl, typeDefs: parse(readFileSync(file, 'utf8'), { noLocation: false }) };
  });
  const result = composeServices(services);
  if (result.errors) {
    const details = result.errors.map((error) => {
      const code = (error.extensions?.code as string | undefined) ?? 'COMPOSITION_ERROR';
      const where = (error.nodes ?? [])
        .map((node) => node.loc && `${node.loc.source.name}:${node.loc.startToken.line}:${node.loc.startToken.column}`)
        .filter(Boolean);
      return `  [${code}] ${error.message}${where.length ? `\n    at ${where.join(', ')}` : ''}`;
    });
    throw new CompositionError(`Supergraph composition failed:\n${details.join('\n')}`);
  }
  return {
    supergraphSdl: result.supergraphSdl,
    apiSchemaSdl: printSchema(result.schema.toAPISchema().toGraphQLJSSchema()),
  };
}
