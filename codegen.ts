// GraphQL Code Generator: resolver types for each subgraph, generated from its schema.graphql
// with federation support and mappers to the Prisma models. `npm run codegen` rewrites them.
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
  },
};

export default config;
