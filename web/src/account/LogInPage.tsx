import { useMutation } from '@apollo/client/react';
import { useState, type SubmitEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { TextField } from '../components/TextField.tsx';
import { apiErrors, describeError } from '../errors.ts';
import { getFragmentData, LogInDocument, SessionFieldsFragmentDoc } from '../graphql.ts';
import { Link, useLocation } from '../router.tsx';
import { nextPage, useStartSession } from './use-account.ts';

export function LogInPage() {
  const { searchParams } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [logIn, { loading, error }] = useMutation(LogInDocument);
  const startSession = useStartSession();
  const next = nextPage(searchParams);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const result = await logIn({ variables: { input: { email, password } } }).catch(() => null);
    if (result?.data) await startSession(getFragmentData(SessionFieldsFragmentDoc, result.data.logIn), next);
  };
  const described = error ? describeError(error) : null;
  return (
    <section className="narrow">
      <h1>Log in</h1>
      <form className="stacked" onSubmit={submit}>
        <TextField label="Email" name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {described?.code === 'UNAUTHENTICATED' ? (
          // Here UNAUTHENTICATED is the answer to these credentials, not a request to sign in.
          <div className="notice notice-error" role="alert" data-code="UNAUTHENTICATED">
            <strong>Wrong email or password</strong>
            <p>{apiErrors(error)[0]?.message}</p>
          </div>
        ) : error ? (
          <ErrorNotice error={error} />
        ) : null}
        <button type="submit" disabled={loading}>
          {loading ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="muted">
        No account? <Link to={`/signup${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`}>Sign up</Link>. The demo accounts (ada@example.com,
        bob@example.com, carol@example.com) use the password <code>demo-password</code>.
      </p>
    </section>
  );
}
