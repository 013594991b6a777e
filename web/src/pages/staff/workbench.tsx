import type { ComponentChildren } from 'preact';
import { api, errorText } from '../../api.js';
import { Loading, Notice } from '../../components/index.js';
import { useAsync, useCurrentUser } from '../../hooks.js';
import { Link } from '../../router.js';
import { deadlineStatus, interactionWaitsForAgency, type CaseList, type Interaction, type SupervisionAlert } from './staff-api.js';
import { StaffNav } from './staff-nav.js';

/** how many items each overview count looks at (the counts say "at least" beyond it) */
const OVERVIEW_LIMIT = 100;

interface Overview {
  cases: number;
  moreCases: boolean;
  overdue: number;
  dueToday: number;
  waitingInteractions: number;
  alerts: number;
  moreAlerts: boolean;
}

async function loadOverview(): Promise<Overview> {
  const [queue, interactions, alerts] = await Promise.all([
    api.get<CaseList>('/v1/staff/cases', { limit: OVERVIEW_LIMIT }),
    api.get<{ interactions: Interaction[] }>('/v1/staff/interactions', { limit: OVERVIEW_LIMIT }),
    api.get<{ alerts: SupervisionAlert[]; nextCursor?: string }>('/v1/supervision/alerts', { limit: OVERVIEW_LIMIT }),
  ]);
  const deadlines = queue.cases.map((item) => deadlineStatus(item.remainingWorkingDays));
  return {
    cases: queue.cases.length,
    moreCases: queue.nextCursor !== undefined,
    overdue: deadlines.filter((status) => status.overdue).length,
    dueToday: queue.cases.filter((item) => item.remainingWorkingDays === 0).length,
    waitingInteractions: interactions.interactions.filter(interactionWaitsForAgency).length,
    alerts: alerts.alerts.length,
    moreAlerts: alerts.nextCursor !== undefined,
  };
}

function OverviewCard({ href, title, children }: { href: string; title: string; children: ComponentChildren }) {
  return (
    <li class="card">
      <h2>
        <Link href={href}>{title}</Link>
      </h2>
      {children}
    </li>
  );
}

/** /staff: where a staff member lands after login: what waits for their agency, with links to each list. */
export function WorkbenchPage() {
  const user = useCurrentUser();
  const overview = useAsync(loadOverview, [user?.agency]);
  const data = overview.data;
  return (
    <section class="page staff-page">
      <StaffNav />
      <h1>工作台</h1>
      {user?.name ? <p class="muted">{user.name}，您好。以下是本单位待处理的事项。</p> : null}
      {overview.loading && !data ? <Loading label="正在汇总待办…" /> : null}
      {overview.error ? <Notice kind="error">{errorText(overview.error)}</Notice> : null}
      {data ? (
        <ul class="card-list workbench-cards">
          <OverviewCard href="/staff/cases" title="办件队列">
            <p class="figure">
              待办 <strong>{data.cases}{data.moreCases ? '+' : ''}</strong> 件
            </p>
            <p>
              {data.overdue > 0 ? <span class="tag tag-error">已超期 {data.overdue} 件</span> : <span class="tag tag-ok">无超期办件</span>}{' '}
              {data.dueToday > 0 ? <span class="tag tag-warn">今日到期 {data.dueToday} 件</span> : null}
            </p>
          </OverviewCard>
          <OverviewCard href="/staff/interactions" title="咨询投诉">
            <p class="figure">
              待处理 <strong>{data.waitingInteractions}</strong> 件
            </p>
          </OverviewCard>
          <OverviewCard href="/staff/alerts" title="督办提醒">
            <p class="figure">
              共 <strong>{data.alerts}{data.moreAlerts ? '+' : ''}</strong> 条
            </p>
          </OverviewCard>
        </ul>
      ) : null}
    </section>
  );
}
