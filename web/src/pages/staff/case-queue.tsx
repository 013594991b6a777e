import { api, errorText } from '../../api.js';
import { EmptyState, Loading, Notice, formatDate } from '../../components/index.js';
import { SelectFilter } from '../../components/SelectFilter.js';
import { Link, navigate, useRoute } from '../../router.js';
import { DeadlineTag } from './deadline-tag.js';
import { OPEN_CASE_STATES, deadlineStatus, type CaseList, type CaseSummary } from './staff-api.js';
import { StaffNav } from './staff-nav.js';
import { LoadMore, useCursorList } from './cursor-list.js';

const PAGE_SIZE = 20;

const byDueDate = (a: CaseSummary, b: CaseSummary) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0);

/** /staff/cases: the open cases of the caller's agency, the earliest deadline first, overdue ones marked. */
export function CaseQueuePage() {
  const { query } = useRoute();
  const state = query.state ?? '';
  const list = useCursorList(async (cursor) => {
    const page = await api.get<CaseList>('/v1/staff/cases', { state, limit: PAGE_SIZE, cursor });
    return { items: page.cases, nextCursor: page.nextCursor };
  }, [state]);

  const cases = [...list.items].sort(byDueDate);
  const overdue = cases.filter((c) => deadlineStatus(c.remainingWorkingDays).overdue).length;

  return (
    <section class="page staff-page">
      <StaffNav />
      <h1>办件队列</h1>
      <SelectFilter id="queue-state" label="办件状态" value={state} allLabel="全部待办" options={OPEN_CASE_STATES} onApply={(chosen) => navigate(chosen ? `/staff/cases?state=${encodeURIComponent(chosen)}` : '/staff/cases')} />
      {list.loading && !list.loaded ? <Loading label="正在加载办件…" /> : null}
      {list.error ? <Notice kind="error">{errorText(list.error)}</Notice> : null}
      {list.loaded && !list.error && cases.length === 0 ? <EmptyState title="暂无待办办件">当前筛选条件下没有需要处理的办件。</EmptyState> : null}
      {cases.length > 0 ? (
        <>
          <p class="queue-summary">
            已列出 {cases.length} 件，按办结期限从早到晚排列{overdue > 0 ? <>，其中 <strong>{overdue} 件已超期</strong></> : null}。
          </p>
          <table class="case-queue">
            <caption class="visually-hidden">本单位办件，按办结期限排序</caption>
            <thead>
              <tr>
                <th scope="col">办件编号</th>
                <th scope="col">事项</th>
                <th scope="col">申请人</th>
                <th scope="col">状态</th>
                <th scope="col">办结期限</th>
                <th scope="col">剩余时限</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((item) => (
                <tr key={item.caseNo} class={deadlineStatus(item.remainingWorkingDays).overdue ? 'row-overdue' : undefined}>
                  <td data-label="办件编号">
                    <Link href={`/staff/cases/${encodeURIComponent(item.caseNo)}`}>{item.caseNo}</Link>
                  </td>
                  <td data-label="事项">{item.itemName}</td>
                  <td data-label="申请人">{item.applicantName}</td>
                  <td data-label="状态">{item.stateLabel}</td>
                  <td data-label="办结期限">
                    <time dateTime={item.dueAt}>{formatDate(item.dueAt, { time: false })}</time>
                  </td>
                  <td data-label="剩余时限">
                    <DeadlineTag remainingWorkingDays={item.remainingWorkingDays} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <LoadMore list={list} />
    </section>
  );
}
