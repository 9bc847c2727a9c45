// Supergraph composition from the subgraphs' SDL files with Apollo's composition library: the
// same `supergraph.graphql` that Apollo Router can serve, and the client-facing API schema.
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { GraphQLError, parse, printSchema, Source, type ASTNode, type DocumentNode } from 'graphql';
import { REPO_ROOT, SUBGRAPHS, type SubgraphEntry } from '../subgraphs/manifest.ts';

/** The URL supergraph.graphql gives a subgraph: where `npm start` runs it. */
function defaultRoutingUrl(subgraph: SubgraphEntry): string {
  return `http://localhost:${subgraph.port}/graphql`;
}

/** One subgraph's SDL; `file` names it in error locations (a path from the repository root). */
export interface SubgraphSdl {
  name: string;
  url: string;
  file: string;
  sdl: string;
}

export function readSubgraphSdls(subgraphs: readonly SubgraphEntry[] = SUBGRAPHS): SubgraphSdl[] {
  return subgraphs.map((subgraph) => ({
    name: subgraph.name,
    url: defaultRoutingUrl(subgraph),
    file: subgraph.schema,
    sdl: readFileSync(new URL(subgraph.schema, REPO_ROOT), 'utf8'),
  }));
}

export interface Composition {
  supergraphSdl: string;
  apiSchemaSdl: string;
}

/** One composition error: Apollo's code, its message, and where it is in the subgraph files. */
export interface CompositionProblem {
  code: string;
  message: string;
  locations: { subgraph: string; file: string; line: number; column: number }[];
}

export class CompositionError extends Error {
  constructor(readonly problems: CompositionProblem[]) {
    super(formatCompositionProblems(problems));
  }
}

export function composeSupergraph(subgraphs: readonly SubgraphEntry[] = SUBGRAPHS): Composition {
  return composeSubgraphs(readSubgraphSdls(subgraphs));
}

export function composeSubgraphs(subgraphs: SubgraphSdl[]): Composition {
  const subgraphByFile = new Map(subgraphs.map((subgraph) => [subgraph.file, subgraph.name]));
  const toProblem = (error: GraphQLError, fallbackCode: string): CompositionProblem => ({
    code: (error.extensions.code as string | undefined) ?? fallbackCode,
    message: error.message,
    // The parsed SDL carries its file name in every node's location (see parseSubgraph), which is
    // how an error points at the subgraph and line that cause it.
    locations: locationsOf(error).map((location) => ({
      ...location,
      subgraph: subgraphByFile.get(location.file) ?? '?',
    })),
  });

  const services = [];
  const syntaxProblems: CompositionProblem[] = [];
  for (const subgraph of subgraphs) {
    try {
      services.push({ name: subgraph.name, url: subgraph.url, typeDefs: parseSubgraph(subgraph) });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      syntaxProblems.push(toProblem(error, 'GRAPHQL_PARSE_FAILED'));
    }
  }
  if (syntaxProblems.length) throw new CompositionError(syntaxProblems);

  const result = composeServices(services);
  if (result.errors) throw new CompositionError(result.errors.map((error) => toProblem(error, 'COMPOSITION_ERROR')));
  return {
    supergraphSdl: result.supergraphSdl,
    apiSchemaSdl: printSchema(result.schema.toAPISchema().toGraphQLJSSchema()),
  };
}

function parseSubgraph(subgraph: SubgraphSdl): DocumentNode {
  return parse(new Source(subgraph.sdl, subgraph.file));
}

function locationsOf(error: GraphQLError): { file: string; line: number; column: number }[] {
  if (error.nodes?.length) {
    return error.nodes.flatMap((node) => {
      const token = startOf(node);
      return token ? [{ file: token.source, line: token.line, column: token.column }] : [];
    });
  }
  // A syntax error has no node, only a position in its source.
  return (error.locations ?? []).map(({ line, column }) => ({ file: error.source?.name ?? '?', line, column }));
}

/** Where a definition starts for a reader: its name, not the description above it. */
export function startOf(node: ASTNode): { source: string; line: number; column: number } | undefined {
  const loc = ('name' in node ? node.name?.loc : undefined) ?? node.loc;
  return loc && { source: loc.source.name, line: loc.startToken.line, column: loc.startToken.column };
}

/**
 * One problem per line (`[CODE] message`), then one `at file:line:column (subgraph name)` line per
 * place it concerns, like a stack trace.
 */
function formatCompositionProblems(problems: CompositionProblem[]): string {
  const count = problems.length === 1 ? '1 error' : `${problems.length} errors`;
  return [`Supergraph composition failed with ${count}:`, ...compositionProblemLines(problems)].join('\n');
}

export function compositionProblemLines(problems: CompositionProblem[]): string[] {
  return problems.flatMap((problem) => [
    `  [${problem.code}] ${problem.message}`,
    ...problem.locations.map(({ subgraph, file, line, column }) => `      at ${file}:${line}:${column} (subgraph ${subgraph})`),
  ]);
}
