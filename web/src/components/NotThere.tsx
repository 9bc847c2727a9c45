import { Link } from '../router.tsx';

/** An id that matches nothing: the API answers null, not an error. */
export function NotThere({ what }: { what: string }) {
  return (
    <div className="notice" role="status">
      <strong>No such {what}</strong>
      <p>
        It does not exist, or it was deleted. <Link to="/">Back to the feed</Link>
      </p>
    </div>
  );
}
