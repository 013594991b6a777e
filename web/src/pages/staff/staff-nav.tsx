import { Link, useRoute } from '../../router.js';

const entries = [
  { href: '/staff', label: '工作台首页' },
  { href: '/staff/cases', label: '办件队列' },
  { href: '/staff/interactions', label: '咨询投诉' },
  { href: '/staff/alerts', label: '督办提醒' },
] as const;

/** The workbench's own navigation, shown on each staff page under the site header. */
export function StaffNav() {
  const { path } = useRoute();
  const current = (href: string) => (href === '/staff' ? path === '/staff' : path === href || path.startsWith(`${href}/`));
  return (
    <nav class="staff-nav" aria-label="工作台导航">
      <ul>
        {entries.map((entry) => (
          <li key={entry.href}>
            <Link href={entry.href} aria-current={current(entry.href) ? 'page' : undefined}>
              {entry.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
