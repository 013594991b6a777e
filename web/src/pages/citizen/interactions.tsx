import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { api, errorText } from '../../api.js';
import { Button, EmptyState, Field, Loading, Notice, Timeline, formatDate } from '../../components/index.js';
import { useAsync, useCurrentUser, useSubmission } from '../../hooks.js';
import { INTERACTION_KIND_LABELS } from '../../interaction-labels.js';
import { Link, navigate, useRoute } from '../../router.js';
import type { Hall } from './guide-types.js';

interface Interaction {
  id: string;
  kind: 'consult' | 'complaint' | 'suggestion';
  state: string;
  stateLabel: string;
  agency: string;
  itemCode?: string;
  caseNo?: string;
  title: string;
  content: string;
  submittedAt: string;
  dueAt?: string;
  confirmBy?: string;
  replies: { by: 'staff' | 'submitter' | 'system'; action?: string; content: string; at: string }[];
}

/** the agencies that run service halls, for a message not about an item or a case */
function agenciesOf(halls: readonly Hall[]): { value: string; label: string }[] {
  const byUscc = new Map<string, string>();
  for (const hall of halls) if (hall.agency) byUscc.set(hall.agency.uscc, hall.agency.name);
  return [...byUscc].map(([value, label]) => ({ value, label }));
}

const byLabels: Record<Interaction['replies'][number]['by'], string> = { staff: '部门答复', submitter: '我', system: '系统' };

/** The caller's consults, complaints and suggestions with their replies; the complainant can confirm or reopen. */
export function InteractionsPage() {
  const user = useCurrentUser();
  const list = useAsync(async () => (user ? api.get<{ interactions: Interaction[] }>('/v1/me/interactions', { limit: 50 }) : undefined), [user?.sub]);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const act = async (item: Interaction, action: 'confirm' | 'reopen') => {
    try {
      await api.post(`/v1/interactions/${encodeURIComponent(item.id)}/actions`, { action });
      setNotice({ kind: 'success', text: action === 'confirm' ? '已确认办结' : '已重新提交' });
      list.reload();
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };
  return (
    <section class="page">
      <h1>咨询投诉</h1>
      <div class="button-row">
        <Link href="/interactions/new?kind=consult" class="button button-primary">
          我要咨询
        </Link>
        <Link href="/interactions/new?kind=complaint" class="button button-secondary">
          我要投诉
        </Link>
        <Link href="/interactions/new?kind=suggestion" class="button button-secondary">
          我要建议
        </Link>
      </div>
      {!user ? (
        <p>
          <Link href="/login?next=%2Finteractions">登录</Link>后可查看您的咨询、投诉和建议。
        </p>
      ) : null}
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      {list.loading && user && !list.data ? <Loading /> : null}
      {list.error ? <Notice kind="error">{errorText(list.error)}</Notice> : null}
      {list.data && !list.data.interactions.length ? <EmptyState title="您还没有提交过咨询、投诉或建议" /> : null}
      <ul class="card-list section">
        {(list.data?.interactions ?? []).map((item) => (
          <li key={item.id} class="card">
            <h2 class="result-title">
              <span class="tag">{INTERACTION_KIND_LABELS[item.kind]}</span> {item.title}
            </h2>
            <ul class="meta">
              <li>{item.stateLabel}</li>
              <li>提交于 {formatDate(item.submittedAt)}</li>
              {item.dueAt ? <li>答复期限 {formatDate(item.dueAt)}</li> : null}
              {item.caseNo ? <li>办件 {item.caseNo}</li> : null}
            </ul>
            <p>{item.content}</p>
            {item.replies.length ? <Timeline label="答复记录" entries={item.replies.map((reply) => ({ at: reply.at, title: byLabels[reply.by], detail: reply.content }))} /> : null}
            {item.confirmBy ? (
              <div class="button-row">
                <Button variant="secondary" onClick={() => void act(item, 'confirm')}>
                  确认办结
                </Button>
                <Button variant="secondary" onClick={() => void act(item, 'reopen')}>
                  不满意，重新处理
                </Button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A new consult, complaint or suggestion, about an item, a case or in general. */
export function NewInteractionPage() {
  const { query } = useRoute();
  const initialKind = query.kind === 'complaint' || query.kind === 'suggestion' ? query.kind : 'consult';
  const [kind, setKind] = useState<Interaction['kind']>(initialKind);
  const [itemCode, setItemCode] = useState(query.item ?? '');
  const [caseNo, setCaseNo] = useState(query.case ?? '');
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [agency, setAgency] = useState('');
  const agencies = useAsync(() => api.get<{ halls: Hall[] }>('/v1/halls').then((answer) => agenciesOf(answer.halls)), []);
  const { busy, problem, fields, run } = useSubmission();
  const needsAgency = !itemCode.trim() && !caseNo.trim();
  const submit = (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => {
      await api.post('/v1/interactions', {
        kind,
        ...(itemCode.trim() ? { itemCode: itemCode.trim().toUpperCase() } : {}),
        ...(caseNo.trim() ? { caseNo: caseNo.trim() } : {}),
        ...(needsAgency && agency ? { agency } : {}),
        title: title.trim(),
        content: content.trim(),
        ...(kind !== 'consult' && anonymous ? { anonymous: true } : {}),
      });
      navigate('/interactions', { replace: true });
    });
  };
  return (
    <section class="page narrow">
      <h1>我要{INTERACTION_KIND_LABELS[kind]}</h1>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <form onSubmit={submit} noValidate>
        <Field
          label="类型"
          options={Object.entries(INTERACTION_KIND_LABELS).map(([value, label]) => ({ value, label }))}
          value={kind}
          onValue={(value) => setKind(value as Interaction['kind'])}
        />
        <Field label="事项编码（可选）" hint="如 RS-FW-0002，咨询将转给办理该事项的部门" value={itemCode} onValue={setItemCode} error={fields.itemCode} />
        <Field label="办件编号（可选）" value={caseNo} onValue={setCaseNo} error={fields.caseNo} />
        {needsAgency ? (
          <Field
            label="受理部门"
            hint="未填写事项或办件时，请选择受理部门"
            options={[{ value: '', label: '请选择' }, ...(agencies.data ?? [])]}
            value={agency}
            onValue={setAgency}
            required
            error={fields.agency}
          />
        ) : null}
        <Field label="标题" value={title} onValue={setTitle} maxLength={200} required error={fields.title} />
        <Field label="内容" multiline value={content} onValue={setContent} maxLength={2000} required error={fields.content} />
        {kind !== 'consult' ? (
          <label class="check">
            <input type="checkbox" checked={anonymous} onChange={(event) => setAnonymous(event.currentTarget.checked)} />
            匿名提交（部门看不到您的姓名）
          </label>
        ) : null}
        <div class="button-row">
          <Button type="submit" busy={busy}>
            提交
          </Button>
        </div>
      </form>
    </section>
  );
}
