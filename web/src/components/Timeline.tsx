import type { ComponentChildren } from 'preact';
import { formatDate } from './format.js';

export interface TimelineEntry {
  at: string;
  title: string;
  detail?: ComponentChildren;
}

/** Events in order as an ordered list, each with its time. */
export function Timeline({ entries, label = '办理进度' }: { entries: readonly TimelineEntry[]; label?: string }) {
  return (
    <ol class="timeline" aria-label={label}>
      {entries.map((entry, index) => (
        <li key={`${entry.at}-${index}`} class="timeline-entry">
          <time dateTime={entry.at}>{formatDate(entry.at)}</time>
          <p class="timeline-title">{entry.title}</p>
          {entry.detail ? <div class="timeline-detail">{entry.detail}</div> : null}
        </li>
      ))}
    </ol>
  );
}
