import { createAccessTokenVerifier } from '../../../lib/auth.ts';
import type { RestServices } from '../../../lib/rest.ts';
import { defineSubgraph } from '../../../lib/subgraph.ts';
import { connectOrdersDatabase, type OrdersDatabase } from './db.ts';
import { createOrdersLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';
import { ordersRestRoutes } from './rest.ts';

export interface OrdersServices {
  /** What the REST routes need (they run outside GraphQL, so they get no resolver context). */
  rest: RestServices<OrdersDatabase>;
}

export const ordersSubgraph = defineSubgraph({
  name: 'orders',
  schemaFile: new URL('../schema.graphql', import.meta.url),
  resolvers,
  connect: connectOrdersDatabase,
  createLoaders: createOrdersLoaders,
  createServices: (db, auth): OrdersServices => ({ rest: { db, verifyAccessToken: createAccessTokenVerifier(auth) } }),
  routes: (app, { rest }) => ordersRestRoutes(app, rest),
});
