import { useState } from 'preact/hooks';
import { api, errorText, fieldErrors } from '../../api.js';
import { Button, EmptyState, Field, Loading, Notice, formatDate } from '../../components/index.js';
import { useAsync, useSubmission } from '../../hooks.js';
import { INTERACTION_KIND_LABELS } from '../../interaction-labels.js';
import { Link, useRoute } from '../../router.js';
import { interactionActionsIn, interactionClosed, interactionWaitsForAgency, type Interaction } from './staff-api.js';
import { StaffNav } from './staff-nav.js';

/** the most the platform lists at once (GET /v1/staff/interactions has no cursor) */
const LIST_LIMIT = 200;

const REPLY_BY: Record<Interaction['replies'][number]['by'], string> = { staff: '本单位', submitter: '提交人', system: '平台' };

/** /staff/interactions: consults, complaints and suggestions routed to the caller's agency, with reply and actions. */
export function InteractionsPage() {
  const { query } = useRoute();
  const showAll = query.show === 'all';
  const list = useAsync(() => api.get<{ interactions: Interaction[] }>('/v1/staff/interactions', { limit: LIST_LIMIT }), []);
  const all = list.data?.interactions ?? [];
  const shown = showAll ? all : all.filter(interactionWaitsForAgency);
  return (
    <section class="page staff-page">
      <StaffNav />
      <h1>咨询投诉</h1>
      <nav class="chips" aria-label="筛选">
        <Link href="/staff/interactions" aria-current={showAll ? undefined : 'true'}>
          待处理
        </Link>
        <Link href="/staff/interactions?show=all" aria-current={showAll ? 'true' : undefined}>
          全部
        </Link>
      </nav>
      {list.loading && !list.data ? <Loading label="正在加载咨询投诉…" /> : null}
      {list.error ? <Notice kind="error">{errorText(list.error)}</Notice> : null}
      {list.data && shown.length === 0 ? <EmptyState title={showAll ? '暂无咨询投诉' : '没有待处理的咨询投诉'} /> : null}
      <ul class="card-list">
        {shown.map((item) => (
          <InteractionCard key={`${item.id}-${item.replies.length}-${item.state}`} item={item} onChanged={list.reload} />
        ))}
      </ul>
    </section>
  );
}

function InteractionCard({ item, onChanged }: { item: Interaction; onChanged: () => void }) {
  const waiting = interactionWaitsForAgency(item);
  const late = waiting && item.dueAt !== undefined && Date.parse(item.dueAt) < Date.now();
  const headingId = `interaction-${item.id}`;
  return (
    <li class={`card${late ? ' card-overdue' : ''}`}>
      <h2 id={headingId}>{item.title}</h2>
      <ul class="meta">
        <li>
          <span class="tag">{INTERACTION_KIND_LABELS[item.kind]}</span>
        </li>
        <li>{item.stateLabel}</li>
        {late ? (
          <li>
            <span class="tag tag-error">已超期</span>
          </li>
        ) : null}
        <li>
          提交于 <time dateTime={item.submittedAt}>{formatDate(item.submittedAt)}</time>
        </li>
        {item.dueAt && waiting ? (
          <li>
            答复期限 <time dateTime={item.dueAt}>{formatDate(item.dueAt)}</time>
          </li>
        ) : null}
        {item.caseNo ? (
          <li>
            办件 <Link href={`/staff/cases/${encodeURIComponent(item.caseNo)}`}>{item.caseNo}</Link>
          </li>
        ) : item.itemCode ? (
          <li>事项 {item.itemCode}</li>
        ) : null}
        {item.anonymous ? <li>匿名</li> : null}
      </ul>
      <p class="interaction-content">{item.content}</p>
      {item.replies.length > 0 ? (
        <ol class="replies" aria-label="答复与处理记录">
          {item.replies.map((reply, index) => (
            <li key={index}>
              <span class="muted">
                {REPLY_BY[reply.by]} · <time dateTime={reply.at}>{formatDate(reply.at)}</time>
              </span>
              <p>{reply.content}</p>
            </li>
          ))}
        </ol>
      ) : null}
      {interactionClosed(item) ? null : <InteractionHandling item={item} onChanged={onChanged} />}
    </li>
  );
}

function InteractionHandling({ item, onChanged }: { item: Interaction; onChanged: () => void }) {
  const actions = interactionActionsIn(item.kind, item.state);
  const [reply, setReply] = useState('');
  const [action, setAction] = useState(actions[0]?.name ?? '');
  const [comment, setComment] = useState('');
  const { busy, error, run: submit } = useSubmission();
  const chosen = actions.find((candidate) => candidate.name === action);
  const needsComment = Boolean(chosen && chosen.requires.length > 0);

  const run = async (event: Event, call: () => Promise<unknown>) => {
    event.preventDefault();
    if (await submit(call)) onChanged();
  };
  const problems = fieldErrors(error);
  return (
    <div class="interaction-handling">
      {error ? <Notice kind="error">{errorText(error)}</Notice> : null}
      <form onSubmit={(event) => run(event, () => api.post(`/v1/interactions/${item.id}/replies`, { content: reply.trim() }))}>
        <fieldset disabled={busy}>
          <legend class="visually-hidden">答复“{item.title}”</legend>
          <Field label={item.kind === 'consult' && item.state === 'submitted' ? '答复内容（发送即办结咨询）' : '答复内容'} multiline required value={reply} onValue={setReply} error={problems.content} maxLength={5000} />
          <Button type="submit" busy={busy}>
            发送答复
          </Button>
        </fieldset>
      </form>
      {actions.length > 0 ? (
        <form class="interaction-action" onSubmit={(event) => run(event, () => api.post(`/v1/interactions/${item.id}/actions`, { action, ...(comment.trim() ? { comment: comment.trim() } : {}) }))}>
          <fieldset disabled={busy}>
            <legend>处理“{item.title}”</legend>
            <Field label="处理方式" options={actions.map((candidate) => ({ value: candidate.name, label: candidate.label }))} value={action} onValue={setAction} />
            <Field label={needsComment ? '处理说明' : '处理说明（选填）'} multiline required={needsComment} value={comment} onValue={setComment} error={problems.comment} maxLength={5000} />
            <Button type="submit" variant="secondary" busy={busy}>
              提交处理
            </Button>
          </fieldset>
        </form>
      ) : null}
    </div>
  );
}
