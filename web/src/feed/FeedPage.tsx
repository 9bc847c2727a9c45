import { useQuery } from '@apollo/client/react';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { InfiniteScroll, useLoadMore } from '../components/InfiniteScroll.tsx';
import { FeedPostsDocument } from '../graphql.ts';
import { PostCard } from './PostCard.tsx';

export function FeedPage() {
  const { data, error, fetchMore } = useQuery(FeedPostsDocument);
  const more = useLoadMore(data?.posts.pageInfo, fetchMore);
  if (error && !data) return <ErrorNotice error={error} />;
  if (!data) return <p className="muted">Loading the feed…</p>;
  return (
    <section>
      <h1>
        Feed <span className="count">{data.posts.totalCount} posts</span>
      </h1>
      <div className="feed" data-testid="feed">
        {data.posts.edges.map(({ node }) => (
          <PostCard key={node.id} post={node} />
        ))}
      </div>
      <InfiniteScroll {...more} end="You have reached the first post." />
    </section>
  );
}
