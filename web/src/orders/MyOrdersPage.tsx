import { useMutation, useQuery } from '@apollo/client/react';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { InfiniteScroll, useLoadMore } from '../components/InfiniteScroll.tsx';
import { formatCents, formatDayAndTime } from '../format.ts';
import { CancelOrderDocument, getFragmentData, MyOrdersDocument, OrderSummaryFragmentDoc, type FragmentType } from '../graphql.ts';
import { Link } from '../router.tsx';

export function MyOrdersPage() {
  const { data, error, fetchMore } = useQuery(MyOrdersDocument);
  const more = useLoadMore(data?.me?.orders?.pageInfo, fetchMore);
  if (error && !data) return <ErrorNotice error={error} />;
  if (!data) return <p className="muted">Loading your orders…</p>;
  // Anonymous, `me` is null: no error to show, an invitation instead.
  if (!data.me) {
    return (
      <div className="notice" role="alert" data-code="UNAUTHENTICATED">
        <strong>Please log in</strong>
        <p>Your orders are private: log in to see them.</p>
        <p>
          <Link to="/login?next=%2Forders">Log in</Link> or <Link to="/signup">create an account</Link>
        </p>
      </div>
    );
  }
  const { orders } = data.me;
  if (!orders) return <ErrorNotice error={error} />;
  return (
    <section>
      <h1>
        My orders <span className="count">{orders.totalCount}</span>
      </h1>
      {orders.totalCount === 0 ? (
        <p className="muted">
          No orders yet. <Link to="/products">Browse the products</Link>
        </p>
      ) : null}
      <ul className="orders" data-testid="orders">
        {orders.edges.map(({ node }) => (
          <OrderCard key={node.id} order={node} />
        ))}
      </ul>
      {orders.totalCount ? <InfiniteScroll {...more} /> : null}
    </section>
  );
}

const CANCELLABLE = new Set(['PENDING', 'PAID']);

function OrderCard({ order: orderRef }: { order: FragmentType<typeof OrderSummaryFragmentDoc> }) {
  const order = getFragmentData(OrderSummaryFragmentDoc, orderRef);
  const [cancelOrder, { loading, error }] = useMutation(CancelOrderDocument, { variables: { id: order.id } });
  const pending = order.id.startsWith('optimistic-');
  return (
    <li className={`card order${pending ? ' order-pending' : ''}`} data-order-id={order.id}>
      <div className="order-head">
        <strong>{pending ? 'Placing order…' : `Order #${order.id}`}</strong>
        <span className={`status status-${order.status.toLowerCase()}`}>{order.status.toLowerCase()}</span>
        <span className="muted">{formatDayAndTime(order.createdAt)}</span>
        <span className="price">{formatCents(order.totalCents)}</span>
      </div>
      <ul className="order-items">
        {order.items.map((item) => (
          <li key={item.product.id}>
            {item.quantity} × {item.product.name} <span className="muted">at {formatCents(item.unitPriceCents)}</span>
          </li>
        ))}
      </ul>
      {CANCELLABLE.has(order.status) && !pending ? (
        <button type="button" className="secondary" disabled={loading} onClick={() => cancelOrder().catch(() => null)}>
          {loading ? 'Cancelling…' : 'Cancel order'}
        </button>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </li>
  );
}
