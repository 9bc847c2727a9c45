// A few routes need no router library: the History API, one hook for the current location, and
// links that navigate without reloading the page (which would drop the in-memory session).
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(to: string, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

/** The current path and query string, e.g. `/posts/12` or `/login?next=%2Forders`. */
export function useLocation(): URL {
  const href = useSyncExternalStore(subscribe, () => location.href);
  return new URL(href);
}

export type Route =
  | { page: 'feed' }
  | { page: 'post'; id: string }
  | { page: 'user'; id: string }
  | { page: 'products' }
  | { page: 'orders' }
  | { page: 'login' }
  | { page: 'signup' }
  | { page: 'not-found' };

export function matchRoute(pathname: string): Route {
  const [, first = '', second, ...rest] = pathname.split('/');
  if (rest.length) return { page: 'not-found' };
  if (first === '' && second === undefined) return { page: 'feed' };
  if (first === 'posts' && second) return { page: 'post', id: decodeURIComponent(second) };
  if (first === 'users' && second) return { page: 'user', id: decodeURIComponent(second) };
  if (second === undefined) {
    if (first === 'products') return { page: 'products' };
    if (first === 'orders') return { page: 'orders' };
    if (first === 'login') return { page: 'login' };
    if (first === 'signup') return { page: 'signup' };
  }
  return { page: 'not-found' };
}

export function Link({ to, onClick, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    // A new tab, a download, a modified click: the browser's own behaviour.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={follow} {...props} />;
}
