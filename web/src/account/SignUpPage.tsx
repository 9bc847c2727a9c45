import { useMutation } from '@apollo/client/react';
import { useState, type SubmitEvent } from 'react';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { TextField } from '../components/TextField.tsx';
import { describeError } from '../errors.ts';
import { getFragmentData, SessionFieldsFragmentDoc, SignUpDocument } from '../graphql.ts';
import { Link, useLocation } from '../router.tsx';
import { nextPage, useStartSession } from './use-account.ts';

export function SignUpPage() {
  const { searchParams } = useLocation();
  const [account, setAccount] = useState({ name: '', email: '', password: '' });
  const [signUp, { loading, error }] = useMutation(SignUpDocument);
  const startSession = useStartSession();
  const next = nextPage(searchParams);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const result = await signUp({ variables: { input: account } }).catch(() => null);
    if (result?.data) await startSession(getFragmentData(SessionFieldsFragmentDoc, result.data.signUp), next);
  };
  const fieldErrors = error ? describeError(error).fieldErrors : {};
  const field = (name: keyof typeof account) => ({
    name,
    value: account[name],
    error: fieldErrors[name],
    onChange: (event: { target: { value: string } }) => setAccount({ ...account, [name]: event.target.value }),
  });
  return (
    <section className="narrow">
      <h1>Sign up</h1>
      <form className="stacked" onSubmit={submit} noValidate>
        <TextField label="Name" autoComplete="name" {...field('name')} />
        <TextField label="Email" type="email" autoComplete="email" {...field('email')} />
        <TextField label="Password (8 characters or more)" type="password" autoComplete="new-password" {...field('password')} />
        {error ? <ErrorNotice error={error} /> : null}
        <button type="submit" disabled={loading}>
          {loading ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p className="muted">
        Have an account? <Link to="/login">Log in</Link>.
      </p>
    </section>
  );
}
