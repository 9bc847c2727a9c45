// The paginated lists of this service, shared by the fields that expose them.
import { afterPosition, NEWEST_FIRST, parsePageArgs, toConnection, type PageArgs } from '../../../lib/pagination.ts';
import type { Context } from './context.ts';
import type { OrderConnectionModel, ProductConnectionModel } from './models.ts';

export async function productsPage({ db }: Context, args: PageArgs): Promise<ProductConnectionModel> {
  const page = parsePageArgs(args);
  const rows = await db.product.findMany({ where: afterPosition(page.after), orderBy: NEWEST_FIRST, take: page.size + 1 });
  return { ...toConnection(rows, page.size), totalCount: () => db.product.count() };
}

export async function ordersPage({ db }: Context, args: PageArgs, buyerId: number): Promise<OrderConnectionModel> {
  const page = parsePageArgs(args);
  const rows = await db.order.findMany({
    where: { buyerId, ...afterPosition(page.after) },
    orderBy: NEWEST_FIRST,
    take: page.size + 1,
  });
  return { ...toConnection(rows, page.size), totalCount: () => db.order.count({ where: { buyerId } }) };
}
