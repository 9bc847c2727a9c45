import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type SubmitEvent } from 'react';
import { useSession } from '../account/session-context.tsx';
import { optimisticId, prependToConnection, withTypename } from '../cache-updates.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { FieldError } from '../components/FieldError.tsx';
import { InfiniteScroll, useLoadMore } from '../components/InfiniteScroll.tsx';
import { NotThere } from '../components/NotThere.tsx';
import { describeError } from '../errors.ts';
import { formatDay, formatDayAndTime } from '../format.ts';
import { AddCommentDocument, CommentFieldsFragmentDoc, getFragmentData, PostPageDocument, type FragmentType } from '../graphql.ts';
import { Link, useLocation } from '../router.tsx';

export function PostPage({ id }: { id: string }) {
  const session = useSession();
  const here = useLocation();
  const { data, error, fetchMore } = useQuery(PostPageDocument, { variables: { id } });
  const more = useLoadMore(data?.post?.comments.pageInfo, fetchMore);
  if (error && !data) return <ErrorNotice error={error} />;
  if (!data) return <p className="muted">Loading the post…</p>;
  const { post } = data;
  if (!post) return <NotThere what="post" />;
  return (
    <article className="post">
      <h1>{post.title}</h1>
      <p className="meta">
        <Link to={`/users/${post.author.id}`}>{post.author.name}</Link> · {formatDay(post.createdAt)}
      </p>
      <div className="post-body">{post.body}</div>
      <section className="comments">
        <h2>
          Comments{' '}
          <span className="count" data-testid="comment-count">
            {post.comments.totalCount}
          </span>
        </h2>
        {session ? (
          <CommentForm postId={post.id} author={session.user} />
        ) : (
          <p className="muted">
            <Link to={`/login?next=${encodeURIComponent(here.pathname)}`}>Log in</Link> to comment.
          </p>
        )}
        <ul className="comment-list" data-testid="comments">
          {post.comments.edges.map(({ node }) => (
            <Comment key={node.id} comment={node} />
          ))}
        </ul>
        <InfiniteScroll {...more} end="" />
      </section>
    </article>
  );
}

function Comment({ comment: commentRef }: { comment: FragmentType<typeof CommentFieldsFragmentDoc> }) {
  const comment = getFragmentData(CommentFieldsFragmentDoc, commentRef);
  return (
    <li className="comment">
      <p className="meta">
        <Link to={`/users/${comment.author.id}`}>{comment.author.name}</Link> · {formatDayAndTime(comment.createdAt)}
      </p>
      <p>{comment.text}</p>
    </li>
  );
}

function CommentForm({ postId, author }: { postId: string; author: { id: string; name: string } }) {
  const [text, setText] = useState('');
  const [addComment, { loading, error }] = useMutation(AddCommentDocument, {
    update(cache, { data }) {
      if (data) prependToConnection(cache, { __typename: 'Post', id: postId }, 'comments', { __typename: 'Comment', id: data.addComment.id });
    },
  });
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const comment = withTypename('Comment', {
      id: optimisticId(),
      text: text.trim(),
      createdAt: new Date().toISOString(),
      author: withTypename('User', { id: author.id, name: author.name }),
    });
    const result = await addComment({
      variables: { input: { postId, text } },
      optimisticResponse: { addComment: comment },
    }).catch(() => null); // shown from the hook's `error`
    if (result?.data) setText('');
  };
  const fieldErrors = error ? describeError(error).fieldErrors : {};
  return (
    <form className="comment-form" onSubmit={submit}>
      <label htmlFor="comment-text">Add a comment</label>
      <textarea id="comment-text" name="text" rows={3} value={text} onChange={(event) => setText(event.target.value)} />
      <FieldError message={fieldErrors.text} />
      {error && !fieldErrors.text ? <ErrorNotice error={error} /> : null}
      <button type="submit" disabled={loading || !text.trim()}>
        {loading ? 'Posting…' : 'Comment'}
      </button>
    </form>
  );
}
