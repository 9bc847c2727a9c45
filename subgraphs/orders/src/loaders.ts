import { childListLoaders, rowsByIdLoader, rowsByParentLoader, type LoaderSettings, type RawQuery } from '#lib/subgraph/loaders.ts';
import type { OrdersDatabase } from './db.ts';
import type { OrderItemModel, OrderModel } from './models.ts';

export type OrdersLoaders = ReturnType<typeof createOrdersLoaders>;

export function createOrdersLoaders(db: OrdersDatabase, settings: LoaderSettings) {
  const query: RawQuery = (sql) => db.$queryRaw(sql);
  const ordersOfBuyers = childListLoaders<OrderModel>(settings, query, 'Order', 'buyerId');
  return {
    productById: rowsByIdLoader(settings, (ids) => db.product.findMany({ where: { id: { in: ids } } })),
    orderById: rowsByIdLoader(settings, (ids) => db.order.findMany({ where: { id: { in: ids } } })),
    itemsByOrder: rowsByParentLoader(
      settings,
      (item: OrderItemModel) => item.orderId,
      (orderIds) => db.orderItem.findMany({ where: { orderId: { in: orderIds } }, orderBy: { id: 'asc' } }),
    ),
    ordersByBuyer: ordersOfBuyers.pages,
    orderCountByBuyer: ordersOfBuyers.counts,
  };
}
