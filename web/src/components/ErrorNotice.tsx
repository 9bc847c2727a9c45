import { describeError } from '../errors.ts';
import { Link } from '../router.tsx';

/** A GraphQL or network error, told in words with a way forward when there is one. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { title, detail, action, code } = describeError(error);
  return (
    <div className="notice notice-error" role="alert" data-code={code}>
      <strong>{title}</strong>
      {detail && <p>{detail}</p>}
      {action && (
        <p>
          <Link to={action.to}>{action.label}</Link>
        </p>
      )}
    </div>
  );
}
