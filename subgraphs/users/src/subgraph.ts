import { defineSubgraph } from '../../../lib/subgraph.ts';
import { connectUsersDatabase } from './db.ts';
import { createUsersLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

export const usersSubgraph = defineSubgraph({
  name: 'users',
  schemaFile: new URL('../schema.graphql', import.meta.url),
  resolvers,
  connect: connectUsersDatabase,
  createLoaders: createUsersLoaders,
});
