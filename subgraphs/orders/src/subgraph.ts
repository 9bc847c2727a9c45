import { defineSubgraph } from '#lib/subgraph/service.ts';
import { connectOrdersDatabase } from './db.ts';
import { createOrdersLoaders } from './loaders.ts';
import { orderExpirySettingsFromEnv, startUnpaidOrderSweeper, type OrderExpirySettings } from './order-expiry.ts';
import { resolvers } from './resolvers/index.ts';
import { ordersRestRoutes } from './rest.ts';

export interface OrdersServices {
  orderExpiry: OrderExpirySettings;
}

export const ordersSubgraph = defineSubgraph({
  name: 'orders',
  schemaFile: new URL('../schema.graphql', import.meta.url),
  resolvers,
  connect: connectOrdersDatabase,
  createLoaders: createOrdersLoaders,
  // Read when the service is made, so that a bad setting stops it before it listens.
  createServices: (): OrdersServices => ({ orderExpiry: orderExpirySettingsFromEnv() }),
  routes: (app, { db, verifyAccessToken }) => ordersRestRoutes(app, { db, verifyAccessToken }),
  startJobs: ({ db, orderExpiry }) => startUnpaidOrderSweeper(db, orderExpiry),
});
