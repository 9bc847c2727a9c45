import { describe, expect, it } from 'vitest';
import { postGraphQL, useTestSubgraph } from '../../test/graphql.ts';
import { connectOrdersDatabase } from './src/db.ts';
import { ordersSubgraph } from './src/subgraph.ts';
import { ADA, bearer } from '../../test/auth.ts';

const subgraph = useTestSubgraph('orders', ordersSubgraph, connectOrdersDatabase);
const { db } = subgraph;

describe('orders subgraph', () => {
  it('serves an order with its items, prices in integer cents that add up to the total', async () => {
    const order = await db.order.findFirstOrThrow({ where: { items: { some: {} } }, include: { items: true } });
    const { body } = await postGraphQL(
      subgraph.service.url,
      `query ($id: ID!) { order(id: $id) { id status totalCents buyer { id }
        items { quantity unitPriceCents product { id name priceCents } } } }`,
      { id: String(order.id) },
      await bearer({ id: order.buyerId, role: 'USER' }),
    );
    const served = body.data!.order;
    expect(served.buyer).toEqual({ id: String(order.buyerId) });
    expect(served.items).toHaveLength(order.items.length);
    const sum = served.items.reduce((total: number, item: { quantity: number; unitPriceCents: number }) => total + item.quantity * item.unitPriceCents, 0);
    expect(served.totalCents).toBe(sum);
    expect(Number.isInteger(served.totalCents)).toBe(true);
  });

  it("adds a user's orders to the User entity", async () => {
    const buyerId = (await db.order.findFirstOrThrow()).buyerId;
    const count = await db.order.count({ where: { buyerId } });
    const { body } = await postGraphQL(
      subgraph.service.url,
      `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on User { orders(first: 100) { totalCount edges { node { buyer { id } } } } } } }`,
      { representations: [{ __typename: 'User', id: String(buyerId) }] },
      await bearer({ id: buyerId, role: 'USER' }),
    );
    const orders = body.data!._entities[0].orders;
    expect(orders.totalCount).toBe(count);
    expect(orders.edges).toHaveLength(count);
  });

  it('pages the product catalogue and finds products by id', async () => {
    const total = await db.product.count();
    const { body } = await postGraphQL(
      subgraph.service.url,
      `{ products(first: 100) { totalCount edges { node { id name priceCents stock } } pageInfo { hasNextPage } } }`,
    );
    expect(body.data!.products.totalCount).toBe(total);
    expect(body.data!.products.edges).toHaveLength(total);
    expect(body.data!.products.pageInfo.hasNextPage).toBe(false);
    const product = body.data!.products.edges[0].node;
    const byId = await postGraphQL(subgraph.service.url, `query ($id: ID!) { product(id: $id) { id name priceCents stock } }`, {
      id: product.id,
    });
    expect(byId.body.data!.product).toEqual(product);
  });

  it('gives null for an order or product that does not exist', async () => {
    const { body } = await postGraphQL(subgraph.service.url, '{ order(id: "9999999") { id } product(id: "0") { id } }', {}, await bearer(ADA));
    expect(body).toEqual({ data: { order: null, product: null } });
  });
});
