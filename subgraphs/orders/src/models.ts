import type { CountedConnection } from '#lib/subgraph/pagination.ts';
import type { Order, OrderItem, Product } from './__generated__/prisma/client.ts';

export type ProductModel = Product;
export type OrderModel = Order;
export type OrderItemModel = OrderItem;
export type ProductConnectionModel = CountedConnection<ProductModel>;
export type OrderConnectionModel = CountedConnection<OrderModel>;
/** A user as this service knows one: by id only; the users service resolves the rest. */
export interface UserReference {
  id: string;
}
