import { useEffect, useRef, useState } from 'preact/hooks';
import { Layout, Loading } from './components/index.js';
import { useCurrentUser } from './hooks.js';
import { NotFoundPage } from './pages/not-found.js';
import { SITE_NAME, findRoute, navigate, setRouteParams, useRoute } from './router.js';
import { routes } from './routes.js';
import { isStaff, restore } from './session.js';
import { ForbiddenPage } from './pages/forbidden.js';

/** Moves focus to the page's heading so keyboard and screen-reader users start at the new content. */
function focusHeading(attempt = 0): void {
  const heading = document.querySelector<HTMLElement>('#main-content h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  } else if (attempt < 20) {
    requestAnimationFrame(() => focusHeading(attempt + 1));
  } else {
    document.getElementById('main-content')?.focus();
  }
}

export function App() {
  const { path, query } = useRoute();
  const user = useCurrentUser();
  const [restored, setRestored] = useState(false);
  const firstRender = useRef(true);
  useEffect(() => {
    void restore().finally(() => setRestored(true));
  }, []);
  const found = findRoute(routes, path);
  setRouteParams(found?.params ?? {});
  const route = found?.route;
  const needsLogin = Boolean(route?.requires) && restored && !user;
  useEffect(() => {
    if (needsLogin) navigate(`/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
  }, [needsLogin, path]);
  useEffect(() => {
    document.title = `${route?.title ?? '页面不存在'} - ${SITE_NAME}`;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    focusHeading();
  }, [path, query.q]);

  let content;
  if (!route) content = <NotFoundPage />;
  else if (route.requires && (!restored || !user)) content = <Loading />;
  else if (route.requires === 'staff' && !isStaff(user)) content = <ForbiddenPage />;
  else {
    const Page = route.page;
    content = <Page key={route.path} />;
  }
  return <Layout>{content}</Layout>;
}
