// REST equivalents of the orders service's queries: `GET /products`, `/products/:id` (public),
// `/orders/:id` and `/users/:id/orders` (private: the buyer or an admin, with the scope
// `orders:read`; 401 without a token, 403 for anyone else, as on the graph).
import type { Express } from 'express';
import { NEWEST_FIRST, afterPosition } from '#lib/subgraph/pagination.ts';
import { PRIVATE, idParameter, notFound, pageParameters, pageReply, publicFor, restRoute, type RestServices } from '#lib/subgraph/rest.ts';
import { requireOwnerOrAdmin } from '#lib/service/auth.ts';
import { requireScopes } from '#lib/subgraph/authorization.ts';
import type { OrdersDatabase } from './db.ts';
import { READ_ORDERS_SCOPES, readableOrder } from './resolvers/Order.ts';
import { createOrdersLoaders } from './loaders.ts';
import type { OrderItemModel, OrderModel, ProductModel } from './models.ts';

/** `Product` is hinted `maxAge: 300` but its `stock` 30: a product's representation holds both. */
const PRODUCT_CACHING = publicFor(30);

function representProduct(product: ProductModel) {
  return { id: String(product.id), name: product.name, priceCents: product.priceCents, stock: product.stock };
}

/** An order with its lines; a line names its product by id (`/products/:id`). */
function representOrder(order: OrderModel, items: OrderItemModel[]) {
  return {
    id: String(order.id),
    buyerId: String(order.buyerId),
    status: order.status,
    totalCents: order.totalCents,
    createdAt: order.createdAt.toISOString(),
    items: items.map((item) => ({
      productId: String(item.productId),
      quantity: item.quantity,
      unitPriceCents: item.unitPriceCents,
    })),
  };
}

export function ordersRestRoutes(app: Express, { db, verifyAccessToken }: RestServices<OrdersDatabase>) {
  // The same loaders as the resolvers, so both APIs run the same SQL for the same data.
  const loaders = () => createOrdersLoaders(db, { batch: true });

  app.get(
    '/products',
    restRoute(verifyAccessToken, async ({ request }) => {
      const page = pageParameters(request);
      const rows = await db.product.findMany({ where: afterPosition(page.after), orderBy: NEWEST_FIRST, take: page.size + 1 });
      return pageReply(request, rows, page, representProduct, PRODUCT_CACHING);
    }),
  );
  app.get(
    '/products/:id',
    restRoute(verifyAccessToken, async ({ request }) => {
      const id = idParameter(request, 'product');
      const product = await loaders().productById.load(id);
      if (!product) throw notFound('product', id);
      return { body: representProduct(product), caching: PRODUCT_CACHING };
    }),
  );
  app.get(
    '/orders/:id',
    restRoute(verifyAccessToken, async ({ request, viewer }) => {
      // The rule of Query.order: anonymous callers learn nothing, not even whether the order exists.
      const orderLoaders = loaders();
      const id = idParameter(request, 'order');
      const order = await readableOrder(id, { loaders: orderLoaders, viewer });
      if (!order) throw notFound('order', id);
      const { itemsByOrder } = orderLoaders;
      return { body: representOrder(order, await itemsByOrder.load(order.id)), caching: PRIVATE };
    }),
  );
  app.get(
    '/users/:id/orders',
    restRoute(verifyAccessToken, async ({ request, viewer }) => {
      requireScopes(viewer, READ_ORDERS_SCOPES, "a user's orders");
      const buyerId = idParameter(request, 'user');
      requireOwnerOrAdmin(viewer, buyerId, "read this user's orders");
      const page = pageParameters(request);
      const { ordersByBuyer, itemsByOrder } = loaders();
      const rows = await ordersByBuyer.load({ parentId: buyerId, page });
      // The lines of every order of the page: loaded in the same tick, one statement.
      const shown = rows.slice(0, page.size);
      const items = await Promise.all(shown.map((order) => itemsByOrder.load(order.id)));
      const itemsOf = new Map(shown.map((order, index) => [order.id, items[index]!]));
      return pageReply(request, rows, page, (order) => representOrder(order, itemsOf.get(order.id)!), PRIVATE);
    }),
  );
}
