import { defineSubgraph } from '../../../lib/subgraph.ts';
import { connectOrdersDatabase } from './db.ts';
import { createOrdersLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';
import { ordersRestRoutes } from './rest.ts';

export const ordersSubgraph = defineSubgraph({
  name: 'orders',
  schemaFile: new URL('../schema.graphql', import.meta.url),
  resolvers,
  connect: connectOrdersDatabase,
  createLoaders: createOrdersLoaders,
  routes: (app, { db, verifyAccessToken }) => ordersRestRoutes(app, { db, verifyAccessToken }),
});
