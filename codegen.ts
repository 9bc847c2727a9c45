// GraphQL Code Generator: resolver types for each subgraph, generated from its schema.graphql
// with federation support and mappers to the Prisma models, and typed client operations generated
// from the API schema. `npm run codegen` rewrites them; `npm run codegen:check` fails when they are stale.
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { SUBGRAPHS, type SubgraphEntry } from './subgraphs/manifest.ts';

/** The resolver types of the subgraphs (default: subgraphs/manifest.ts), each as its entry describes them. */
export function subgraphResolverTypes(subgraphs: readonly SubgraphEntry[] = SUBGRAPHS): CodegenConfig['generates'] {
  return Object.fromEntries(
    subgraphs.map((subgraph) => [
      subgraph.resolverTypes.file,
      {
        schema: subgraph.schema,
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useIndexSignature: true,
          useTypeImports: true,
          enumsAsTypes: true,
          // Every subgraph's src/context.ts, beside its src/__generated__/.
          contextType: '../context.ts#Context',
          scalars: { DateTime: 'Date', ID: { input: 'string', output: 'string | number' } },
          mappers: { ...subgraph.resolverTypes.mappers },
        },
      },
    ]),
  );
}

// Client operations live in .graphql files: docs/api.md's examples in operations/ now, the web app's
// under web/src later. A pattern that matches no file is fine as long as one of them matches
// something (codegen fails only when all of them match nothing), so web/src may be absent.
export const CLIENT_DOCUMENTS = ['operations/**/*.graphql', 'web/src/**/*.graphql', 'web/src/**/*.tsx'];

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...subgraphResolverTypes(),
    'operations/__generated__/': {
      schema: 'schema.graphql',
      documents: CLIENT_DOCUMENTS,
      preset: 'client',
      // persisted-documents.json beside them: { sha256 of each operation's document: the document },
      // the manifest that npm run documents:publish registers with the gateway (docs/trusted-documents.md).
      presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' } },
      // The registered documents are what the gateway runs for the web app, so they carry the
      // __typename that Apollo Client's cache adds to what it sends (and reads back to normalize).
      documentTransforms: [
        { transform: ({ documents }) => documents.map((source) => ({ ...source, document: source.document && addTypenameToDocument(source.document) })) },
      ],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // What a client receives over JSON: DateTime is the ISO-8601 string.
        scalars: { DateTime: 'string', ID: 'string' },
      },
    },
  },
};

export default config;
