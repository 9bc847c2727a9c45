import { defineSubgraph } from '#lib/subgraph/service.ts';
import { connectPostsDatabase } from './db.ts';
import { createPostsLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';
import { postsRestRoutes } from './rest.ts';

export const postsSubgraph = defineSubgraph({
  name: 'posts',
  schemaFile: new URL('../schema.graphql', import.meta.url),
  resolvers,
  connect: connectPostsDatabase,
  createLoaders: createPostsLoaders,
  routes: (app, { db, verifyAccessToken }) => postsRestRoutes(app, { db, verifyAccessToken }),
});
