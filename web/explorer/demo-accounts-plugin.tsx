// The explorer's "Demo accounts" panel: signs in as a seeded account with the API's own logIn
// mutation and writes `Authorization: Bearer <token>` into the Headers tab, where the person sees
// how an authenticated request is made and can edit or remove it.
import { Button, pick, useGraphiQL, type GraphiQLPlugin } from '@graphiql/react';
import { useState } from 'react';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../prisma/demo-accounts.ts';
import { GRAPHQL_PATH } from './graphql-path.ts';

type DemoAccount = (typeof DEMO_ACCOUNTS)[number];

interface SignedIn {
  account: DemoAccount;
  expiresAt: Date;
}

const LOG_IN = `mutation LogIn($input: LogInInput!) {
  logIn(input: $input) { accessToken accessTokenExpiresAt }
}`;
const LOG_OUT = 'mutation LogOut { logOut }';

interface GraphQLBody<Data> {
  data?: Data | null;
  errors?: { message: string }[];
}

async function post<Data>(query: string, variables?: Record<string, unknown>): Promise<Data> {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody<Data>;
  if (body.errors?.length || !body.data) throw new Error(body.errors?.[0]?.message ?? `The gateway answered ${response.status}.`);
  return body.data;
}

/** The headers as the editor holds them, with Authorization set (or removed, for null). */
function withAuthorization(headersText: string, authorization: string | null): string {
  let headers: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(headersText || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) headers = parsed as Record<string, unknown>;
  } catch {
    // Text that is not a JSON object is replaced: the header must reach the gateway.
  }
  const rest = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
  return JSON.stringify(authorization ? { ...rest, Authorization: authorization } : rest, null, 2);
}

function DemoAccountsPanel() {
  const { headerEditor } = useGraphiQL(pick('headerEditor'));
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The buttons wait for the editor (Monaco loads after the panel shows): it is where the token goes.
  const ready = headerEditor !== undefined && !busy;
  const setAuthorization = (authorization: string | null) => headerEditor?.setValue(withAuthorization(headerEditor.getValue(), authorization));

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const signIn = (account: DemoAccount) =>
    run(async () => {
      const { logIn } = await post<{ logIn: { accessToken: string; accessTokenExpiresAt: string } }>(LOG_IN, {
        input: { email: account.email, password: DEMO_PASSWORD },
      });
      setAuthorization(`Bearer ${logIn.accessToken}`);
      setSignedIn({ account, expiresAt: new Date(logIn.accessTokenExpiresAt) });
    });

  // logIn also set the HttpOnly refresh-token cookie on this origin: logOut revokes that session.
  const signOut = () =>
    run(async () => {
      setAuthorization(null);
      setSignedIn(null);
      await post(LOG_OUT);
    });

  return (
    <div className="demo-accounts">
      <div className="graphiql-doc-explorer-title">Demo accounts</div>
      <p>
        Every seeded user has the password <code>{DEMO_PASSWORD}</code>. Signing in calls <code>logIn</code> and puts the access token in the{' '}
        <strong>Headers</strong> tab as <code>Authorization: Bearer …</code>; the operations you run then act as that user.
      </p>
      <ul>
        {DEMO_ACCOUNTS.map((account) => (
          <li key={account.email}>
            <Button type="button" disabled={!ready} onClick={() => void signIn(account)}>
              Sign in as {account.name}
            </Button>{' '}
            <span className="demo-accounts-detail">
              {account.email}, {account.role}
            </span>
          </li>
        ))}
      </ul>
      {signedIn && (
        <p role="status" data-testid="signed-in">
          Signed in as {signedIn.account.email} ({signedIn.account.role}) until{' '}
          {signedIn.expiresAt.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: sign in again after that.{' '}
          <Button type="button" disabled={!ready} onClick={() => void signOut()}>
            Sign out
          </Button>
        </p>
      )}
      {problem && (
        <p role="alert" className="demo-accounts-problem">
          {problem}
        </p>
      )}
      <p>
        Outside the explorer, send the same header: <code>curl -H 'authorization: Bearer …'</code>.
      </p>
    </div>
  );
}

function DemoAccountsIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8" />
    </svg>
  );
}

export const demoAccountsPlugin: GraphiQLPlugin = {
  title: 'Demo accounts',
  icon: DemoAccountsIcon,
  content: DemoAccountsPanel,
};
