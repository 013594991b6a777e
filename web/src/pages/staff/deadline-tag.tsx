import { deadlineStatus } from './staff-api.js';

/** Working days left of a case, with 已超期 / 今日到期 spelled out (not colour alone). */
export function DeadlineTag({ remainingWorkingDays }: { remainingWorkingDays: number }) {
  const status = deadlineStatus(remainingWorkingDays);
  if (status.overdue) {
    return (
      <span class="deadline">
        <span class="tag tag-error">已超期</span> {status.text}
      </span>
    );
  }
  return <span class={`deadline${status.dueSoon ? ' deadline-soon' : ''}`}>{status.dueSoon ? <span class="tag tag-warn">{status.text}</span> : status.text}</span>;
}
