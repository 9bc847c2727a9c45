// What the gateways' caches must drop once a change to orders has committed, the same for every
// way an order changes: placed, cancelled, paid, or expired by the sweep.
import { publishCacheInvalidation } from '#lib/service/cache-invalidation.ts';

/** Each order, its buyer's `orders`, and the `stock` of each product taken or put back. */
export function publishOrderChanges(orders: { id: number; buyerId: number }[], productIds: number[]): Promise<void> {
  return publishCacheInvalidation(
    ...orders.flatMap((order) => [
      { type: 'Order', id: order.id },
      { type: 'User', id: order.buyerId },
    ]),
    ...productIds.map((id) => ({ type: 'Product', id })),
  );
}
