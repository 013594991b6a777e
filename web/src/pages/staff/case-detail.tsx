import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../../api.js';
import { caseActionLabel, caseStateLabel } from '../../case-labels.js';
import { Loading, MaterialDownload, Notice, Timeline, formatBytes, formatDate } from '../../components/index.js';
import { useAsync } from '../../hooks.js';
import { Link, useRoute, useTitle } from '../../router.js';
import { CaseActions } from './case-actions.js';
import { DeadlineTag } from './deadline-tag.js';
import { ExpressForm } from './express-form.js';
import { caseActionsIn, expressAllowed, type CaseDetail, type FlowAction } from './staff-api.js';
import { StaffNav } from './staff-nav.js';

const ACTOR_LABELS: Record<string, string> = { applicant: '申请人', delegate: '受托人', staff: '工作人员', system: '平台' };
const SUBJECT_LABELS: Record<string, string> = { natural: '自然人', legal: '法人', organization: '其他组织' };
const OUTCOME_LABELS: Record<string, string> = { approved: '准予', denied: '不予办理', rejected: '不予受理' };

function actorLabel(actor: string): string {
  return ACTOR_LABELS[actor] ?? (actor.startsWith('platform:') ? `协同平台 ${actor.slice('platform:'.length)}` : actor);
}

function formValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** /staff/cases/:caseNo: the case as its handling agency sees it, with the actions its state allows. */
export function CaseDetailPage() {
  const { params } = useRoute();
  const caseNo = params.caseNo ?? '';
  const loaded = useAsync(() => api.get<CaseDetail>(`/v1/cases/${encodeURIComponent(caseNo)}`), [caseNo]);
  const [done, setDone] = useState<string | undefined>();
  const doneRef = useRef<HTMLDivElement>(null);
  const detail = loaded.data;
  useTitle(detail ? `办件 ${detail.caseNo}` : undefined);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  if (loaded.loading && !detail) return <Loading label="正在加载办件…" />;
  if (!detail) {
    return (
      <section class="page staff-page">
        <StaffNav />
        <h1>办件详情</h1>
        <Notice kind="error">{errorText(loaded.error)}</Notice>
        <p>
          <Link href="/staff/cases">返回办件队列</Link>
        </p>
      </section>
    );
  }

  const afterAction = (updated: CaseDetail, action: FlowAction) => {
    setDone(`已${action.label}，办件状态：${updated.stateLabel}。`);
    loaded.reload();
  };
  const actions = detail.exchange?.role === 'origin' ? [] : caseActionsIn(detail.state);
  const formEntries = Object.entries(detail.form);

  return (
    <section class="page staff-page">
      <StaffNav />
      <p class="breadcrumb">
        <Link href="/staff/cases">办件队列</Link> / {detail.caseNo}
      </p>
      <h1>{detail.itemName}</h1>
      <p class="case-headline">
        <span class="tag">{detail.stateLabel}</span> 办件编号 {detail.caseNo}
      </p>
      {loaded.error ? <Notice kind="error">{errorText(loaded.error)}</Notice> : null}

      <section class="section" aria-labelledby="case-actions-title">
        <h2 id="case-actions-title">办理操作</h2>
        {done ? (
          <div ref={doneRef} tabIndex={-1}>
            <Notice kind="success">{done}</Notice>
          </div>
        ) : null}
        {detail.exchange?.role === 'origin' ? <Notice kind="info">本办件已转至协同平台 {detail.exchange.partner} 办理。</Notice> : null}
        <CaseActions
          detail={detail}
          actions={actions}
          onDone={afterAction}
          onStale={() => {
            setDone(undefined);
            loaded.reload();
          }}
        />
        {expressAllowed(detail) ? <ExpressForm detail={detail} onSaved={loaded.reload} /> : null}
      </section>

      <section class="section" aria-labelledby="case-facts-title">
        <h2 id="case-facts-title">基本信息</h2>
        <dl class="facts">
          <dt>办理事项</dt>
          <dd>
            {detail.itemName}（{detail.itemCode}）
          </dd>
          <dt>申请人</dt>
          <dd>
            {detail.applicant.name}（{SUBJECT_LABELS[detail.applicant.subjectType] ?? detail.applicant.subjectType}）{detail.submittedByDelegate ? '，受托代办' : ''}
          </dd>
          {detail.applicant.idNumber ? (
            <>
              <dt>证件号码</dt>
              <dd>{detail.applicant.idNumber}</dd>
            </>
          ) : null}
          {detail.applicant.phone ? (
            <>
              <dt>联系电话</dt>
              <dd>{detail.applicant.phone}</dd>
            </>
          ) : null}
          <dt>提交时间</dt>
          <dd>
            <time dateTime={detail.submittedAt}>{formatDate(detail.submittedAt)}</time>
          </dd>
          <dt>办结期限</dt>
          <dd>
            <time dateTime={detail.dueAt}>{formatDate(detail.dueAt, { time: false })}</time>，<DeadlineTag remainingWorkingDays={detail.remainingWorkingDays} />
            {detail.clockPaused ? '（补正期间暂停计时）' : ''}
          </dd>
          <dt>送达方式</dt>
          <dd>{detail.delivery.method === 'express' ? `快递送达${detail.delivery.address ? `：${detail.delivery.address}` : ''}` : '窗口领取'}</dd>
          {detail.decision ? (
            <>
              <dt>办理决定</dt>
              <dd>
                {OUTCOME_LABELS[detail.decision.outcome] ?? detail.decision.outcome}（{formatDate(detail.decision.at)}）{detail.decision.reason ? `：${detail.decision.reason}` : ''}
              </dd>
            </>
          ) : null}
          {detail.result ? (
            <>
              <dt>办理结果</dt>
              <dd>
                {detail.result.kind === 'certificate' ? '证照' : '文书'}：{detail.result.title}
                {detail.result.number ? `（${detail.result.number}）` : ''}
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      {formEntries.length > 0 ? (
        <section class="section" aria-labelledby="case-form-title">
          <h2 id="case-form-title">申请表单</h2>
          <dl class="facts">
            {formEntries.map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{formValue(value)}</dd>
              </Fragment>
            ))}
          </dl>
        </section>
      ) : null}

      <section class="section" aria-labelledby="case-materials-title">
        <h2 id="case-materials-title">申请材料</h2>
        {detail.materials.length === 0 ? (
          <p class="muted">没有材料。</p>
        ) : (
          <ul class="card-list material-list">
            {detail.materials.map((material) => (
              <li key={material.materialId} class="card">
                <p class="material-name">
                  <MaterialDownload caseNo={detail.caseNo} material={material} />
                </p>
                <ul class="meta">
                  <li>{material.contentType}</li>
                  <li>{formatBytes(material.size)}</li>
                  <li>{material.status === 'received' ? '已接收' : '已引用'}</li>
                  <li>
                    <time dateTime={material.addedAt}>{formatDate(material.addedAt)}</time>
                  </li>
                  <li>
                    SHA-256 <code title={material.sha256}>{material.sha256.slice(0, 12)}…</code>
                  </li>
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>

      {detail.express ? (
        <section class="section" aria-labelledby="case-express-title">
          <h2 id="case-express-title">快递信息</h2>
          <p>
            {detail.express.carrier}，单号 {detail.express.trackingNo}
          </p>
          {detail.express.events.length > 0 ? (
            <Timeline label="物流动态" entries={detail.express.events.map((event) => ({ at: event.at, title: event.description, ...(event.location ? { detail: event.location } : {}) }))} />
          ) : null}
        </section>
      ) : null}

      <section class="section" aria-labelledby="case-timeline-title">
        <h2 id="case-timeline-title">办理进度</h2>
        <Timeline
          entries={detail.timeline.map((entry) => ({
            at: entry.at,
            title: `${caseActionLabel(entry.action)} → ${caseStateLabel(entry.state)}`,
            detail: `${actorLabel(entry.actor)}${entry.comment ? `：${entry.comment}` : ''}`,
          }))}
        />
      </section>
    </section>
  );
}
