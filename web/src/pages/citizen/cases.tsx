import { useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { api, errorText, newIdempotencyKey } from '../../api.js';
import { Button, EmptyState, Field, Loading, MaterialDownload, Notice, Timeline, formatBytes, formatDate } from '../../components/index.js';
import { useAsync, useSubmission } from '../../hooks.js';
import { Link, useRoute, useTitle } from '../../router.js';
import { caseActionLabel } from '../../case-labels.js';
import { MaterialInput, useMaterialUploads } from './apply.js';

export interface CaseSummary {
  caseNo: string;
  itemCode: string;
  itemName: string;
  agency: { name: string; uscc: string };
  state: string;
  stateLabel: string;
  submittedAt: string;
  dueDate: string;
  remainingWorkingDays: number;
}

interface CaseDetail extends CaseSummary {
  version: number;
  region: string;
  applicant: { name: string; subjectType: string; idNumber?: string; phone?: string };
  clockPaused: boolean;
  timeline: { at: string; state: string; action: string; actor: string; comment?: string }[];
  materials: { materialId: string; name: string; contentType: string; size: number; status: string; addedAt: string }[];
  form: Record<string, unknown>;
  delivery: { method: 'pickup' | 'express'; address?: string };
  decision?: { outcome: 'approved' | 'denied' | 'rejected'; reason?: string; at: string };
  result?: { kind: string; title: string; number?: string };
  express?: { carrier: string; trackingNo: string; events: { at: string; description: string; location?: string }[] };
  evaluation?: { score: number; dimensions: { process: number; result: number; efficiency: number }; comment?: string; at: string };
}

const stateTags: Record<string, string> = { 'correction-requested': 'tag-warn', rejected: 'tag-error', denied: 'tag-error', approved: 'tag-ok', delivered: 'tag-ok', closed: 'tag-ok' };
const stateFilters = [
  { value: '', label: '全部' },
  { value: 'submitted', label: '已提交' },
  { value: 'in-review', label: '审查中' },
  { value: 'correction-requested', label: '待补正' },
  { value: 'delivered', label: '已送达' },
  { value: 'closed', label: '已办结' },
];

/** The caller's cases, newest first, filterable by state, a page at a time. */
export function MyCasesPage() {
  const { query } = useRoute();
  const state = query.state ?? '';
  const [pages, setPages] = useState<string[]>([]);
  const cursor = pages[pages.length - 1];
  const list = useAsync(() => api.get<{ cases: CaseSummary[]; nextCursor?: string }>('/v1/me/cases', { state, limit: 20, cursor }), [state, cursor]);
  return (
    <section class="page">
      <h1>我的办件</h1>
      <nav aria-label="按状态筛选">
        <ul class="chips">
          {stateFilters.map((filter) => (
            <li key={filter.value}>
              <Link href={filter.value ? `/me/cases?state=${filter.value}` : '/me/cases'} aria-current={state === filter.value ? 'true' : undefined} onClick={() => setPages([])}>
                {filter.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <Notice kind="error">{errorText(list.error)}</Notice> : null}
      {list.data && list.data.cases.length === 0 ? (
        <EmptyState title="暂无办件">
          <Link href="/search">去办事</Link>
        </EmptyState>
      ) : null}
      {list.data?.cases.length ? (
        <ul class="card-list section" aria-label="办件列表">
          {list.data.cases.map((item) => (
            <li key={item.caseNo} class="card">
              <h2 class="result-title">
                <Link href={`/me/cases/${encodeURIComponent(item.caseNo)}`}>{item.itemName}</Link>
              </h2>
              <ul class="meta">
                <li>
                  <span class={`tag ${stateTags[item.state] ?? ''}`}>{item.stateLabel}</span>
                </li>
                <li>办件编号 {item.caseNo}</li>
                <li>{item.agency.name}</li>
                <li>提交于 {formatDate(item.submittedAt)}</li>
                <li>办理期限 {item.dueDate}</li>
              </ul>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="button-row">
        {pages.length ? (
          <Button variant="secondary" onClick={() => setPages(pages.slice(0, -1))}>
            上一页
          </Button>
        ) : null}
        {list.data?.nextCursor ? (
          <Button variant="secondary" onClick={() => setPages([...pages, list.data!.nextCursor!])}>
            下一页
          </Button>
        ) : null}
      </div>
    </section>
  );
}

function SupplementForm({ caseNo, onDone }: { caseNo: string; onDone: () => void }) {
  const { uploads, start, done, busy: uploading } = useMaterialUploads();
  const [names, setNames] = useState<string[]>(['补正材料']);
  const [comment, setComment] = useState('');
  const { busy, problem, fields, setProblem, run } = useSubmission();
  const key = useRef(newIdempotencyKey());
  const submit = (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!done.length && !comment.trim()) {
      setProblem('请上传补正材料或填写说明');
      return;
    }
    void run(async () => {
      await api.post(`/v1/cases/${encodeURIComponent(caseNo)}/supplements`, { ...(comment.trim() ? { comment: comment.trim() } : {}), materials: done }, { idempotencyKey: key.current });
      onDone();
    });
  };
  return (
    <form onSubmit={submit} noValidate class="section" aria-labelledby="supplement-title">
      <h2 id="supplement-title">补正材料</h2>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {names.map((name) => (
        <MaterialInput key={name} name={name} required={false} upload={uploads[name]} onFile={(file) => void start(name, file)} />
      ))}
      <Button variant="link" onClick={() => setNames([...names, `补正材料${names.length + 1}`])}>
        再添加一份材料
      </Button>
      <Field label="补正说明" multiline value={comment} onValue={setComment} maxLength={2000} error={fields.comment} />
      <Button type="submit" busy={busy} disabled={uploading}>
        提交补正
      </Button>
    </form>
  );
}

const ratingLabels = ['', '非常不满意', '不满意', '基本满意', '满意', '非常满意'];

function Rating({ legend, name, value, onValue }: { legend: string; name: string; value: number; onValue: (value: number) => void }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div class="stars">
        {[5, 4, 3, 2, 1].map((score) => (
          <label key={score}>
            <input type="radio" name={name} value={score} checked={value === score} onChange={() => onValue(score)} />
            {ratingLabels[score]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function EvaluationForm({ caseNo, onDone }: { caseNo: string; onDone: () => void }) {
  const [score, setScore] = useState(0);
  const [process, setProcess] = useState(0);
  const [result, setResult] = useState(0);
  const [efficiency, setEfficiency] = useState(0);
  const [comment, setComment] = useState('');
  const { busy, problem, fields, setProblem, run } = useSubmission();
  const submit = (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!score || !process || !result || !efficiency) {
      setProblem('请为每一项选择评价');
      return;
    }
    void run(async () => {
      await api.post(`/v1/cases/${encodeURIComponent(caseNo)}/evaluations`, { score, dimensions: { process, result, efficiency }, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      onDone();
    });
  };
  return (
    <form onSubmit={submit} noValidate class="section" aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">评价本次服务（好差评）</h2>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <Rating legend="总体评价" name="score" value={score} onValue={setScore} />
      <Rating legend="办事过程" name="process" value={process} onValue={setProcess} />
      <Rating legend="办理结果" name="result" value={result} onValue={setResult} />
      <Rating legend="办理效率" name="efficiency" value={efficiency} onValue={setEfficiency} />
      <Field label="评价内容" multiline value={comment} onValue={setComment} maxLength={500} error={fields.comment} />
      <Button type="submit" busy={busy}>
        提交评价
      </Button>
    </form>
  );
}

/** A case: state, timeline, materials, decision, express tracking, supplement on request, evaluation. */
export function CaseDetailPage() {
  const { params, query } = useRoute();
  const caseNo = params.caseNo ?? '';
  const detail = useAsync(() => api.get<CaseDetail>(`/v1/cases/${encodeURIComponent(caseNo)}`), [caseNo]);
  const [notice, setNotice] = useState<string | undefined>(query.submitted ? '申请已提交，请留意办理进度和消息通知。' : undefined);
  const data = detail.data;
  useTitle(data ? `办件 ${data.caseNo}` : undefined);
  return (
    <article class="page">
      <h1>{data ? data.itemName : '办件详情'}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {detail.loading && !data ? <Loading /> : null}
      {detail.error ? <Notice kind="error">{errorText(detail.error)}</Notice> : null}
      {data ? (
        <>
          <dl class="facts">
            <dt>办件编号</dt>
            <dd>{data.caseNo}</dd>
            <dt>办理状态</dt>
            <dd>
              <span class={`tag ${stateTags[data.state] ?? ''}`}>{data.stateLabel}</span>
              {data.clockPaused ? <span class="muted">（计时暂停）</span> : null}
            </dd>
            <dt>办理部门</dt>
            <dd>{data.agency.name}</dd>
            <dt>提交时间</dt>
            <dd>{formatDate(data.submittedAt)}</dd>
            <dt>办理期限</dt>
            <dd>
              {data.dueDate}
              {!data.decision && data.remainingWorkingDays >= 0 ? `（剩余 ${data.remainingWorkingDays} 个工作日）` : ''}
            </dd>
            <dt>领取方式</dt>
            <dd>{data.delivery.method === 'express' ? `快递送达：${data.delivery.address ?? ''}` : '窗口领取'}</dd>
            {data.decision ? (
              <>
                <dt>办理结果</dt>
                <dd>
                  {data.decision.outcome === 'approved' ? '准予办理' : data.decision.outcome === 'denied' ? '不予办理' : '不予受理'}
                  {data.decision.reason ? `：${data.decision.reason}` : ''}
                </dd>
              </>
            ) : null}
            {data.result ? (
              <>
                <dt>结果文书</dt>
                <dd>
                  {data.result.title}
                  {data.result.number ? `（${data.result.number}）` : ''}
                  {data.result.kind === 'certificate' ? (
                    <>
                      {' '}
                      <Link href="/me/wallet">在卡包中查看</Link>
                    </>
                  ) : null}
                </dd>
              </>
            ) : null}
          </dl>

          {data.state === 'correction-requested' ? (
            <>
              <Notice kind="warning">办理部门要求补正：{[...data.timeline].reverse().find((entry) => entry.action === 'request-correction')?.comment ?? '请按要求补充材料'}</Notice>
              <SupplementForm
                caseNo={data.caseNo}
                onDone={() => {
                  setNotice('补正材料已提交');
                  detail.reload();
                }}
              />
            </>
          ) : null}

          {data.decision && !data.evaluation ? (
            <EvaluationForm
              caseNo={data.caseNo}
              onDone={() => {
                setNotice('感谢您的评价！');
                detail.reload();
              }}
            />
          ) : null}
          {data.evaluation ? (
            <section class="section" aria-labelledby="evaluated-title">
              <h2 id="evaluated-title">我的评价</h2>
              <p>
                总体：{ratingLabels[data.evaluation.score]}（{data.evaluation.score} 分） · 评价于 {formatDate(data.evaluation.at)}
              </p>
              {data.evaluation.comment ? <p>{data.evaluation.comment}</p> : null}
            </section>
          ) : null}

          <section class="section" aria-labelledby="progress-title">
            <h2 id="progress-title">办理进度</h2>
            <Timeline
              entries={data.timeline.map((entry) => ({
                at: entry.at,
                title: caseActionLabel(entry.action),
                ...(entry.comment ? { detail: entry.comment } : {}),
              }))}
            />
          </section>

          {data.express ? (
            <section class="section" aria-labelledby="express-title">
              <h2 id="express-title">快递信息</h2>
              <p>
                {data.express.carrier} · 运单号 {data.express.trackingNo}
              </p>
              <Timeline label="物流轨迹" entries={data.express.events.map((event) => ({ at: event.at, title: event.description, ...(event.location ? { detail: event.location } : {}) }))} />
            </section>
          ) : null}

          <section class="section" aria-labelledby="materials-title">
            <h2 id="materials-title">申请材料</h2>
            {data.materials.length ? (
              <ul>
                {data.materials.map((material) => (
                  <li key={material.materialId}>
                    <MaterialDownload caseNo={data.caseNo} material={material} />（{formatBytes(material.size)}，{formatDate(material.addedAt)}）
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">无</p>
            )}
          </section>
          <p>
            <Link href={`/interactions/new?kind=complaint&case=${encodeURIComponent(data.caseNo)}`}>对本办件投诉</Link> · <Link href="/me/cases">返回我的办件</Link>
          </p>
        </>
      ) : null}
    </article>
  );
}
