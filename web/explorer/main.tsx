// The gateway's offline explorer (development only, at /explorer): GraphiQL bundled from npm, so it
// needs nothing from the internet, with a panel that signs in as a demo account.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import { demoAccountsPlugin } from './demo-accounts-plugin.tsx';
import { GRAPHQL_PATH } from './graphql-path.ts';
import './explorer.css';

const DEFAULT_QUERY = `# Sign in with "Demo accounts" on the left: the token
# goes into the Headers tab below. Then run this
# (Ctrl-Enter): your email and orders are private.
{
  me {
    name
    email
    orders(first: 3) {
      totalCount
      edges { node { status totalCents items { quantity product { name } } } }
    }
  }
}
`;

createRoot(document.getElementById('root')!).render(
  <GraphiQL
    fetcher={createGraphiQLFetcher({ url: GRAPHQL_PATH })}
    plugins={[demoAccountsPlugin]}
    visiblePlugin={demoAccountsPlugin}
    defaultQuery={DEFAULT_QUERY}
    defaultEditorToolsVisibility="headers"
  />,
);
