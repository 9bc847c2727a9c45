import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type SubmitEvent } from 'react';
import { useSession } from '../account/session-context.tsx';
import { optimisticId, prependToConnection, withTypename } from '../cache-updates.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { InfiniteScroll, useLoadMore } from '../components/InfiniteScroll.tsx';
import { formatCents } from '../format.ts';
import { CatalogueDocument, PlaceOrderDocument, type CatalogueQuery } from '../graphql.ts';
import { Link } from '../router.tsx';
import type { SessionUser } from '../session.ts';

type Product = CatalogueQuery['products']['edges'][number]['node'];

export function ProductsPage() {
  const { data, error, fetchMore } = useQuery(CatalogueDocument);
  const more = useLoadMore(data?.products.pageInfo, fetchMore);
  if (error && !data) return <ErrorNotice error={error} />;
  if (!data) return <p className="muted">Loading the catalogue…</p>;
  return (
    <section>
      <h1>
        Products <span className="count">{data.products.totalCount}</span>
      </h1>
      <ul className="products" data-testid="products">
        {data.products.edges.map(({ node }) => (
          <ProductRow key={node.id} product={node} />
        ))}
      </ul>
      <InfiniteScroll {...more} />
    </section>
  );
}

/** A key per order attempt: kept across retries of the same order, so a retry never orders twice. */
function newIdempotencyKey(): string {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- randomUUID exists in secure contexts only (https, http://localhost), though the DOM types promise it
  return globalThis.crypto?.randomUUID?.() ?? optimisticId();
}

function ProductRow({ product }: { product: Product }) {
  const session = useSession();
  const [quantity, setQuantity] = useState(1);
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [placeOrder, { data, loading, error, reset }] = useMutation(PlaceOrderDocument, {
    update(cache, { data }) {
      if (!data) return;
      const { id, buyer } = data.placeOrder;
      prependToConnection(cache, { __typename: 'User', id: buyer.id }, 'orders', { __typename: 'Order', id });
    },
  });
  const changeQuantity = (value: number) => {
    setQuantity(value);
    setIdempotencyKey(newIdempotencyKey());
    reset();
  };
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const result = await placeOrder({
      variables: { input: { items: [{ productId: product.id, quantity }] }, idempotencyKey },
      optimisticResponse: session ? { placeOrder: optimisticOrder(product, quantity, session.user) } : undefined,
    }).catch(() => null); // shown from the hook's `error`
    if (result?.data) setIdempotencyKey(newIdempotencyKey());
  };
  const soldOut = product.stock === 0;
  return (
    <li className="card product">
      <div className="product-main">
        <strong className="product-name">{product.name}</strong>
        <span>
          <span className="price">{formatCents(product.priceCents)}</span>
          <span className="muted"> · </span>
          <span className="muted stock">{soldOut ? 'Sold out' : `${product.stock} in stock`}</span>
        </span>
      </div>
      <form className="order-form" onSubmit={submit}>
        <label>
          Quantity{' '}
          <input
            type="number"
            name="quantity"
            min={1}
            max={Math.max(1, product.stock)}
            value={quantity}
            onChange={(event) => changeQuantity(Math.max(1, Math.floor(Number(event.target.value) || 1)))}
          />
        </label>
        <button type="submit" disabled={loading || soldOut}>
          {loading ? 'Ordering…' : 'Order'}
        </button>
      </form>
      {data && !loading ? (
        <p className="notice notice-ok" role="status">
          Order placed. <Link to="/orders">See my orders</Link>
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </li>
  );
}

/** The order as the server will most likely return it: shown, and in "My orders", at once. */
function optimisticOrder(product: Product, quantity: number, buyer: SessionUser) {
  return withTypename('Order', {
    id: optimisticId(),
    status: 'PENDING' as const,
    totalCents: product.priceCents * quantity,
    createdAt: new Date().toISOString(),
    items: [
      withTypename('OrderItem', {
        quantity,
        unitPriceCents: product.priceCents,
        product: withTypename('Product', { id: product.id, name: product.name, stock: Math.max(0, product.stock - quantity) }),
      }),
    ],
    buyer: withTypename('User', { id: buyer.id }),
  });
}
