import { getFragmentData, PostSummaryFragmentDoc, type FragmentType } from '../graphql.ts';
import { formatDay } from '../format.ts';
import { Link } from '../router.tsx';

export function PostCard({ post: postRef }: { post: FragmentType<typeof PostSummaryFragmentDoc> }) {
  const post = getFragmentData(PostSummaryFragmentDoc, postRef);
  return (
    <article className="card post-card">
      <h2>
        <Link to={`/posts/${post.id}`}>{post.title}</Link>
      </h2>
      <p className="meta">
        <Link to={`/users/${post.author.id}`}>{post.author.name}</Link> · {formatDay(post.createdAt)}
      </p>
      <p className="excerpt">{post.body}</p>
    </article>
  );
}
