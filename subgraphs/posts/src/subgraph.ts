import { createAccessTokenVerifier } from '../../../lib/auth.ts';
import type { RestServices } from '../../../lib/rest.ts';
import { defineSubgraph } from '../../../lib/subgraph.ts';
import { connectPostsDatabase, type PostsDatabase } from './db.ts';
import { createPostsLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';
import { postsRestRoutes } from './rest.ts';

export interface PostsServices {
  /** What the REST routes need (they run outside GraphQL, so they get no resolver context). */
  rest: RestServices<PostsDatabase>;
}

export const postsSubgraph = defineSubgraph({
  name: 'posts',
  schemaFile: new URL('../schema.graphql', import.meta.url),
  resolvers,
  connect: connectPostsDatabase,
  createLoaders: createPostsLoaders,
  createServices: (db, auth): PostsServices => ({ rest: { db, verifyAccessToken: createAccessTokenVerifier(auth) } }),
  routes: (app, { rest }) => postsRestRoutes(app, rest),
});
