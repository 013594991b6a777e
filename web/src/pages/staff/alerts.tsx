import { api, errorText } from '../../api.js';
import { EmptyState, Loading, Notice, formatDate } from '../../components/index.js';
import { Link, navigate, useRoute } from '../../router.js';
import { SelectFilter } from '../../components/SelectFilter.js';
import { ALERT_KIND_LABELS, type SupervisionAlert } from './staff-api.js';
import { StaffNav } from './staff-nav.js';
import { LoadMore, useCursorList } from './cursor-list.js';

const ALERT_KIND_OPTIONS = Object.entries(ALERT_KIND_LABELS).map(([value, label]) => ({ value, label }));

const PAGE_SIZE = 50;

type AlertPage = { alerts: SupervisionAlert[]; nextCursor?: string };

/** /staff/alerts: e-supervision alerts of the caller's agency (GET /v1/supervision/alerts), by kind. */
export function AlertsPage() {
  const { query } = useRoute();
  const kind = query.kind ?? '';
  const list = useCursorList(async (cursor) => {
    const page = await api.get<AlertPage>('/v1/supervision/alerts', { kind, limit: PAGE_SIZE, cursor });
    return { items: page.alerts, nextCursor: page.nextCursor };
  }, [kind]);
  const alerts = list.items;
  return (
    <section class="page staff-page">
      <StaffNav />
      <h1>督办提醒</h1>
      <SelectFilter id="alert-kind" label="提醒类型" value={kind} allLabel="全部类型" options={ALERT_KIND_OPTIONS} onApply={(chosen) => navigate(chosen ? `/staff/alerts?kind=${encodeURIComponent(chosen)}` : '/staff/alerts')} />
      {list.loading && !list.loaded ? <Loading label="正在加载督办提醒…" /> : null}
      {list.error ? <Notice kind="error">{errorText(list.error)}</Notice> : null}
      {list.loaded && !list.error && alerts.length === 0 ? <EmptyState title="暂无督办提醒">电子监察每 15 分钟检查一次办件，发现临期、超期或停滞时在此提醒。</EmptyState> : null}
      <ul class="card-list">
        {alerts.map((alert) => (
          <li key={alert.alertId} class={`card${alert.kind === 'overdue' || alert.kind.endsWith('-overdue') ? ' card-overdue' : ''}`}>
            <p class="alert-title">
              <span class={`tag ${alert.kind === 'due-soon' ? 'tag-warn' : 'tag-error'}`}>{ALERT_KIND_LABELS[alert.kind] ?? alert.kind}</span>{' '}
              {alert.caseNo ? <Link href={`/staff/cases/${encodeURIComponent(alert.caseNo)}`}>办件 {alert.caseNo}</Link> : <>事项 {alert.itemCode}</>}
            </p>
            <ul class="meta">
              <li>
                发出于 <time dateTime={alert.raisedAt}>{formatDate(alert.raisedAt)}</time>
              </li>
              <li>事项 {alert.itemCode}</li>
              <li>区划 {alert.region}</li>
            </ul>
            <p class="alert-detail">{alert.detail}</p>
          </li>
        ))}
      </ul>
      <LoadMore list={list} />
    </section>
  );
}
