import {
  childPagesLoader,
  countByParentLoader,
  rowsByIdLoader,
  rowsByParentLoader,
  type LoaderSettings,
} from '../../../lib/loaders.ts';
import { pageOfEachParentSql } from '../../../lib/pagination.ts';
import type { OrdersDatabase } from './db.ts';
import type { OrderItemModel, OrderModel } from './models.ts';

export type OrdersLoaders = ReturnType<typeof createOrdersLoaders>;

export function createOrdersLoaders(db: OrdersDatabase, settings: LoaderSettings) {
  return {
    productById: rowsByIdLoader(settings, (ids) => db.product.findMany({ where: { id: { in: ids } } })),
    orderById: rowsByIdLoader(settings, (ids) => db.order.findMany({ where: { id: { in: ids } } })),
    itemsByOrder: rowsByParentLoader(
      settings,
      (item: OrderItemModel) => item.orderId,
      (orderIds) => db.orderItem.findMany({ where: { orderId: { in: orderIds } }, orderBy: { id: 'asc' } }),
    ),
    ordersByBuyer: childPagesLoader(
      settings,
      (order: OrderModel) => order.buyerId,
      (buyerIds, page) => db.$queryRaw<OrderModel[]>(pageOfEachParentSql('Order', 'buyerId', buyerIds, page)),
    ),
    orderCountByBuyer: countByParentLoader(settings, async (buyerIds) => {
      const groups = await db.order.groupBy({ by: ['buyerId'], where: { buyerId: { in: buyerIds } }, _count: { _all: true } });
      return groups.map((group) => ({ parentId: group.buyerId, count: group._count._all }));
    }),
  };
}
