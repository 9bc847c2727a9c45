// Loads the runtime configuration, restores the session from the refresh cookie (a reload keeps
// you signed in, with no token in storage), then renders.
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionProvider } from './account/session-context.tsx';
import { createApolloClient } from './apollo.ts';
import { App } from './App.tsx';
import { RUNTIME_CONFIG_PATH, type RuntimeConfig } from './runtime-config.ts';
import { SessionStore } from './session.ts';
import './styles.css';

async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  // Without a server that says otherwise: the gateway's default port on the page's own host,
  // so that the refresh cookie (SameSite=Strict) is sent to it.
  const fallback: RuntimeConfig = { graphqlUrl: `${location.protocol}//${location.hostname}:4000/graphql` };
  try {
    const response = await fetch(RUNTIME_CONFIG_PATH, { cache: 'no-store' });
    const config = response.ok ? ((await response.json()) as Partial<RuntimeConfig>) : {};
    return typeof config.graphqlUrl === 'string' ? { graphqlUrl: config.graphqlUrl } : fallback;
  } catch {
    return fallback;
  }
}

const root = createRoot(document.getElementById('root')!);
root.render(<p className="boot muted">Loading…</p>);

const config = await loadRuntimeConfig();
const sessions = new SessionStore();
const client = createApolloClient(new URL(config.graphqlUrl, location.href).toString(), sessions);
// Signed out when this fails (no cookie, server down): the pages then say what they need.
await sessions.refresh().catch((error: unknown) => console.warn('Could not restore the session:', error));

root.render(
  <StrictMode>
    <ApolloProvider client={client}>
      <SessionProvider store={sessions}>
        <App />
      </SessionProvider>
    </ApolloProvider>
  </StrictMode>,
);
