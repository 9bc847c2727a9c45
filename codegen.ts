// GraphQL Code Generator: resolver types for each subgraph, generated from its schema.graphql
// with federation support and mappers to the Prisma models, and typed client operations generated
// from the API schema. `npm run codegen` rewrites them; `npm run codegen:check` fails when they are stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

type Mappers = Record<string, string>;

function subgraphResolverTypes(subgraph: string, mappers: Mappers): CodegenConfig['generates'] {
  return {
    [`subgraphs/${subgraph}/src/__generated__/resolvers-types.ts`]: {
      schema: `subgraphs/${subgraph}/schema.graphql`,
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useIndexSignature: true,
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: '../context.ts#Context',
        scalars: { DateTime: 'Date', ID: { input: 'string', output: 'string | number' } },
        mappers,
      },
    },
  };
}

// Client operations live in .graphql files: the README's examples in operations/ now, the web app's
// under web/src later. A pattern that matches no file is fine as long as one of them matches
// something (codegen fails only when all of them match nothing), so web/src may be absent.
export const CLIENT_DOCUMENTS = ['operations/**/*.graphql', 'web/src/**/*.graphql', 'web/src/**/*.tsx'];

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...subgraphResolverTypes('users', {
      User: '../models.ts#UserModel',
      UserConnection: '../models.ts#UserConnectionModel',
    }),
    ...subgraphResolverTypes('posts', {
      User: '../models.ts#UserReference',
      Post: '../models.ts#PostModel',
      Comment: '../models.ts#CommentModel',
      PostConnection: '../models.ts#PostConnectionModel',
      CommentConnection: '../models.ts#CommentConnectionModel',
    }),
    ...subgraphResolverTypes('orders', {
      User: '../models.ts#UserReference',
      Product: '../models.ts#ProductModel',
      Order: '../models.ts#OrderModel',
      OrderItem: '../models.ts#OrderItemModel',
      ProductConnection: '../models.ts#ProductConnectionModel',
      OrderConnection: '../models.ts#OrderConnectionModel',
    }),
    'operations/__generated__/': {
      schema: 'schema.graphql',
      documents: CLIENT_DOCUMENTS,
      preset: 'client',
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
