import { useState } from 'react';
import { LogInPage } from './account/LogInPage.tsx';
import { useSession } from './account/session-context.tsx';
import { SignUpPage } from './account/SignUpPage.tsx';
import { useLogOut } from './account/use-account.ts';
import { FeedPage } from './feed/FeedPage.tsx';
import { MyOrdersPage } from './orders/MyOrdersPage.tsx';
import { PostPage } from './posts/PostPage.tsx';
import { ProductsPage } from './products/ProductsPage.tsx';
import { Link, matchRoute, useLocation, type Route } from './router.tsx';
import { UserPage } from './users/UserPage.tsx';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'feed':
      return <FeedPage />;
    case 'post':
      return <PostPage key={route.id} id={route.id} />;
    case 'user':
      return <UserPage key={route.id} id={route.id} />;
    case 'products':
      return <ProductsPage />;
    case 'orders':
      return <MyOrdersPage />;
    case 'login':
      return <LogInPage />;
    case 'signup':
      return <SignUpPage />;
    case 'not-found':
      return (
        <div className="notice">
          <strong>Page not found</strong>
          <p>
            <Link to="/">Back to the feed</Link>
          </p>
        </div>
      );
  }
}

function Account() {
  const session = useSession();
  const logOut = useLogOut();
  const [leaving, setLeaving] = useState(false);
  if (!session) {
    return (
      <div className="account">
        <Link to="/login">Log in</Link>
        <Link to="/signup" className="button">
          Sign up
        </Link>
      </div>
    );
  }
  return (
    <div className="account">
      <span className="muted">Signed in as</span>
      <Link to={`/users/${session.user.id}`} data-testid="viewer">
        {session.user.name}
      </Link>
      <button type="button" className="secondary" disabled={leaving} onClick={() => (setLeaving(true), logOut().finally(() => setLeaving(false)))}>
        Log out
      </button>
    </div>
  );
}

export function App() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  const tab = (to: string, label: string, pages: Route['page'][]) => (
    <Link to={to} aria-current={pages.includes(route.page) ? 'page' : undefined}>
      {label}
    </Link>
  );
  return (
    <>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand">
            Federated
          </Link>
          <nav>
            {tab('/', 'Feed', ['feed', 'post', 'user'])}
            {tab('/products', 'Products', ['products'])}
            {tab('/orders', 'My orders', ['orders'])}
          </nav>
          <Account />
        </div>
      </header>
      <main>
        <Page route={route} />
      </main>
    </>
  );
}
