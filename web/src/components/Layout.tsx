import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useCurrentUser } from '../hooks.js';
import { Link, SITE_NAME, navigate, useRoute } from '../router.js';
import { isStaff, logout } from '../session.js';
import { onUnreadChange, refreshUnreadCount, unreadCount } from '../unread.js';

interface NavEntry {
  href: string;
  label: string;
  /** shown only to signed-in users / staff */
  audience?: 'user' | 'staff';
}

const mainNav: readonly NavEntry[] = [
  { href: '/', label: '首页' },
  { href: '/search', label: '办事服务' },
  { href: '/me/cases', label: '我的办件', audience: 'user' },
  { href: '/me/wallet', label: '卡包', audience: 'user' },
  { href: '/interactions', label: '咨询投诉' },
  { href: '/staff', label: '工作台', audience: 'staff' },
];

function isCurrent(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/** Header (site name, main navigation, login state, unread badge), skip link, main region, footer. */
export function Layout({ children }: { children: ComponentChildren }) {
  const user = useCurrentUser();
  const { path } = useRoute();
  const [unread, setUnread] = useState(unreadCount());
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => onUnreadChange(setUnread), []);
  useEffect(() => {
    if (user) void refreshUnreadCount();
  }, [user?.sub, path]);
  useEffect(() => setMenuOpen(false), [path]);
  const signOut = async () => {
    await logout();
    navigate('/');
  };
  const visible = mainNav.filter((entry) => !entry.audience || (entry.audience === 'user' ? user : isStaff(user)));
  return (
    <>
      <a class="skip-link" href="#main-content">
        跳到主要内容
      </a>
      <header class="site-header">
        <div class="header-bar">
          <Link href="/" class="site-name">
            <span class="site-emblem" aria-hidden="true">政</span>
            {SITE_NAME}
          </Link>
          <button type="button" class="menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
            菜单
          </button>
        </div>
        <nav id="main-nav" class={`main-nav${menuOpen ? ' open' : ''}`} aria-label="主导航">
          <ul>
            {visible.map((entry) => (
              <li key={entry.href}>
                <Link href={entry.href} aria-current={isCurrent(entry.href, path) ? 'page' : undefined}>
                  {entry.label}
                </Link>
              </li>
            ))}
          </ul>
          <ul class="account-nav">
            {user ? (
              <>
                <li>
                  <Link href="/me/messages" aria-current={isCurrent('/me/messages', path) ? 'page' : undefined}>
                    消息
                    {unread > 0 ? (
                      <span class="badge">
                        {unread > 99 ? '99+' : unread}
                        <span class="visually-hidden">条未读</span>
                      </span>
                    ) : null}
                  </Link>
                </li>
                <li>
                  <Link href="/me" aria-current={path === '/me' ? 'page' : undefined}>
                    个人中心{user.name ? `（${user.name}）` : ''}
                  </Link>
                </li>
                <li>
                  <button type="button" class="link-button" onClick={signOut}>
                    退出
                  </button>
                </li>
              </>
            ) : (
              <>
                <li>
                  <Link href={`/login?next=${encodeURIComponent(path === '/login' ? '/' : path + location.search)}`}>登录</Link>
                </li>
                <li>
                  <Link href="/register">注册</Link>
                </li>
              </>
            )}
          </ul>
        </nav>
      </header>
      <main id="main-content" tabIndex={-1}>
        {children}
      </main>
      <footer class="site-footer">
        <p>主办：政务服务管理办公室 · 本平台依据 GB/T 39047-2020 建设</p>
        <p>
          <Link href="/interactions/new?kind=suggestion">意见建议</Link> · <Link href="/search">服务目录</Link> · 服务热线 12345
        </p>
      </footer>
    </>
  );
}
