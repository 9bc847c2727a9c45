import DataLoader from 'dataloader';
import { rowsByIdLoader } from '../../../lib/loaders.ts';
import type { OrdersDatabase } from './db.ts';
import type { OrderItemModel } from './models.ts';

export type OrdersLoaders = ReturnType<typeof createOrdersLoaders>;

export function createOrdersLoaders(db: OrdersDatabase) {
  return {
    productById: rowsByIdLoader((ids) => db.product.findMany({ where: { id: { in: ids } } })),
    orderById: rowsByIdLoader((ids) => db.order.findMany({ where: { id: { in: ids } } })),
    itemsByOrderId: new DataLoader<number, OrderItemModel[]>(async (orderIds) => {
      const items = await db.orderItem.findMany({ where: { orderId: { in: [...orderIds] } }, orderBy: { id: 'asc' } });
      return orderIds.map((orderId) => items.filter((item) => item.orderId === orderId));
    }),
  };
}
