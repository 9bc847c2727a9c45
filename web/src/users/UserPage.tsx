import { useQuery } from '@apollo/client/react';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { InfiniteScroll, useLoadMore } from '../components/InfiniteScroll.tsx';
import { NotThere } from '../components/NotThere.tsx';
import { PostCard } from '../feed/PostCard.tsx';
import { formatDay } from '../format.ts';
import { UserPageDocument } from '../graphql.ts';

export function UserPage({ id }: { id: string }) {
  const { data, error, fetchMore } = useQuery(UserPageDocument, { variables: { id } });
  const more = useLoadMore(data?.user?.posts.pageInfo, fetchMore);
  if (error && !data) return <ErrorNotice error={error} />;
  if (!data) return <p className="muted">Loading…</p>;
  const { user } = data;
  if (!user) return <NotThere what="user" />;
  return (
    <section>
      <h1>
        {user.name} {user.role === 'ADMIN' ? <span className="badge">admin</span> : null}
      </h1>
      <p className="meta">
        Member since {formatDay(user.createdAt)} · {user.posts.totalCount} post{user.posts.totalCount === 1 ? '' : 's'}
      </p>
      <div className="feed">
        {user.posts.edges.map(({ node }) => (
          <PostCard key={node.id} post={node} />
        ))}
      </div>
      <InfiniteScroll {...more} end={user.posts.totalCount ? 'That is every post.' : 'No posts yet.'} />
    </section>
  );
}
