import { childListLoaders, rowsByIdLoader, rowsByParentLoader, rowsWithIds, type LoaderSettings, type RawQuery } from '#lib/subgraph/loaders.ts';
import type { OrdersDatabase } from './db.ts';
import type { OrderItemModel, OrderModel, ProductModel } from './models.ts';

export type OrdersLoaders = ReturnType<typeof createOrdersLoaders>;

export function createOrdersLoaders(db: OrdersDatabase, settings: LoaderSettings) {
  const query: RawQuery = (sql) => db.$queryRaw(sql);
  const ordersOfBuyers = childListLoaders<OrderModel>(settings, query, 'Order', 'buyerId');
  return {
    productById: rowsByIdLoader(settings, rowsWithIds<ProductModel>(query, 'Product')),
    orderById: rowsByIdLoader(settings, rowsWithIds<OrderModel>(query, 'Order')),
    itemsByOrder: rowsByParentLoader(
      settings,
      (item: OrderItemModel) => item.orderId,
      (orderIds) => db.orderItem.findMany({ where: { orderId: { in: orderIds } }, orderBy: { id: 'asc' } }),
    ),
    ordersByBuyer: ordersOfBuyers.pages,
    orderCountByBuyer: ordersOfBuyers.counts,
  };
}
