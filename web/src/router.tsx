/** A small history-API router: the route table is data (`routes.tsx`), pages read `useRoute()`. */
import type { ComponentChildren, ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface RouteDefinition {
  /** pattern such as `/items/:code` */
  path: string;
  /** document title and the name announced on navigation */
  title: string;
  page: ComponentType;
  /** a signed-in user, or agency staff */
  requires?: 'user' | 'staff';
}

export interface RouteState {
  path: string;
  /** values of the `:name` segments of the matched pattern */
  params: Record<string, string>;
  /** the query string, first value of each name */
  query: Record<string, string>;
  /** every value of each query name (facet filters repeat) */
  queryAll: (name: string) => string[];
}

export const SITE_NAME = '政务服务网';

type Listener = () => void;
const listeners = new Set<Listener>();
let currentParams: Record<string, string> = {};

function notify(): void {
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/** Goes to `path` (same origin) without reloading; `replace` keeps the history length. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const before = location.pathname + location.search;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  if (before !== location.pathname + location.search) window.scrollTo(0, 0);
  notify();
}

export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const wanted = pattern.split('/').filter(Boolean);
  const actual = path.split('/').filter(Boolean);
  if (wanted.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of wanted.entries()) {
    const value = actual[index]!;
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (segment !== value) return undefined;
  }
  return params;
}

export function findRoute(routes: readonly RouteDefinition[], path: string): { route: RouteDefinition; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** The router sets the params of the matched route before rendering its page. */
export function setRouteParams(params: Record<string, string>): void {
  currentParams = params;
}

function snapshot(): RouteState {
  const search = new URLSearchParams(location.search);
  const query: Record<string, string> = {};
  for (const [key, value] of search) if (!(key in query)) query[key] = value;
  return { path: location.pathname, params: currentParams, query, queryAll: (name) => search.getAll(name) };
}

/** The current path, params and query; re-renders on every navigation. */
export function useRoute(): RouteState {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return snapshot();
}

/** Sets the document title of the page (e.g. to the item's name once it is loaded). */
export function useTitle(title: string | undefined): void {
  useEffect(() => {
    if (title) document.title = `${title} - ${SITE_NAME}`;
  }, [title]);
}

type AnchorProps = Omit<JSX.AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { href: string; children?: ComponentChildren };

/** An anchor that navigates in the page for plain left clicks and behaves as a link otherwise. */
export function Link({ href, onClick, children, ...rest }: AnchorProps) {
  const follow = (event: JSX.TargetedMouseEvent<HTMLAnchorElement>) => {
    if (typeof onClick === 'function') onClick(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (!href.startsWith('/') || href.startsWith('//')) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={follow} {...rest}>
      {children}
    </a>
  );
}
