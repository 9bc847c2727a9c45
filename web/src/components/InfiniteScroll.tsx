// The end of a paginated list: loads the next page when it scrolls into view, with a button for
// keyboards and for lists too short to scroll.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorNotice } from './ErrorNotice.tsx';

interface PageInfo {
  hasNextPage: boolean;
  endCursor?: string | null;
}

/** Loads the page after `pageInfo` once at a time; fetchMore merges it (relayStylePagination). */
export function useLoadMore(pageInfo: PageInfo | undefined, fetchMore: (options: { variables: { after: string } }) => Promise<unknown>) {
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const inFlight = useRef(false);
  const loadMore = useCallback(() => {
    if (inFlight.current || !pageInfo?.hasNextPage || !pageInfo.endCursor) return;
    inFlight.current = true;
    setLoading(true);
    setError(null);
    fetchMore({ variables: { after: pageInfo.endCursor } })
      .catch(setError)
      .finally(() => {
        inFlight.current = false;
        setLoading(false);
      });
  }, [pageInfo?.hasNextPage, pageInfo?.endCursor, fetchMore]);
  return { loadMore, loading, error, hasMore: Boolean(pageInfo?.hasNextPage) };
}

export function InfiniteScroll({
  hasMore,
  loading,
  loadMore,
  error,
  end = 'That is all.',
}: ReturnType<typeof useLoadMore> & {
  end?: string;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    // After a failure, the button retries: no loop of failing requests while the end is in view.
    if (!element || !hasMore || loading || error) return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && loadMore(), {
      rootMargin: '200px',
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, loading, error, loadMore]);
  if (!hasMore) return <p className="list-end muted">{end}</p>;
  return (
    <div ref={sentinel} className="load-more">
      {error ? <ErrorNotice error={error} /> : null}
      <button type="button" onClick={loadMore} disabled={loading}>
        {loading ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}
