import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorText, fieldErrors } from '../../api.js';
import { Button, Field, Notice } from '../../components/index.js';
import type { CaseDetail, CaseResult, FlowAction } from './staff-api.js';
import { useSubmission } from '../../hooks.js';

/** actions that cannot be taken back: the form asks once more before sending */
const IRREVERSIBLE = new Set(['reject', 'approve', 'deny', 'deliver', 'close', 'transfer']);

const RESULT_KINDS = [
  { value: 'certificate', label: '证照' },
  { value: 'document', label: '文书' },
] as const;

interface Draft {
  comment: string;
  reason: string;
  resultKind: CaseResult['kind'];
  resultTitle: string;
  resultNumber: string;
  targetRegion: string;
}

const emptyDraft: Draft = { comment: '', reason: '', resultKind: 'certificate', resultTitle: '', resultNumber: '', targetRegion: '' };

function commentLabel(action: FlowAction): { label: string; hint?: string } {
  if (action.name === 'request-correction') return { label: '需补正的材料与说明', hint: '每行写一项，申请人将收到这些内容' };
  return { label: '办理意见' };
}

/** The result is asked for when the action needs it (送达 without one yet) or may carry it (准予). */
function resultMode(action: FlowAction, detail: CaseDetail): 'required' | 'optional' | 'none' {
  if (action.requires.includes('result')) return detail.result ? 'none' : 'required';
  return action.name === 'approve' && !detail.result ? 'optional' : 'none';
}

function requestBody(action: FlowAction, detail: CaseDetail, draft: Draft): Record<string, unknown> {
  const mode = resultMode(action, detail);
  const withResult = mode === 'required' || (mode === 'optional' && draft.resultTitle.trim() !== '');
  return {
    action: action.name,
    expectedVersion: detail.version,
    ...(draft.comment.trim() ? { comment: draft.comment.trim() } : {}),
    ...(action.requires.includes('reason') ? { reason: draft.reason.trim() } : {}),
    ...(withResult ? { result: { kind: draft.resultKind, title: draft.resultTitle.trim(), ...(draft.resultNumber.trim() ? { number: draft.resultNumber.trim() } : {}) } } : {}),
    ...(action.requires.includes('target') ? { target: { region: draft.targetRegion.trim() } } : {}),
  };
}

/** refusals because the page showed an older case: it reloads */
const OUTDATED_CODES = new Set(['stale_version', 'concurrent_change', 'illegal_transition']);

function actionErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'stale_version' || error.code === 'concurrent_change') return '该办件刚被他人更新，页面已刷新，请核对后重新操作。';
    if (error.code === 'express_required') return '快递送达前请先登记快递信息。';
    if (error.code === 'illegal_transition') return '办件当前状态不允许此操作，页面已刷新。';
  }
  return errorText(error);
}

/**
 * The staff actions the workflow allows in the case's state: one button each; the chosen one opens
 * its form (the fields the action needs), irreversible ones ask for confirmation, errors are
 * announced, and `onDone` gets the case as the platform answered it.
 */
export function CaseActions({ detail, actions, onDone, onStale }: { detail: CaseDetail; actions: FlowAction[]; onDone: (updated: CaseDetail, action: FlowAction) => void; onStale: () => void }) {
  const [chosen, setChosen] = useState<FlowAction | undefined>();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run, clearError } = useSubmission();
  const formRef = useRef<HTMLFormElement>(null);
  const confirmRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  // the case changed underneath (another action, a refresh after a refusal): the open form no longer applies, the error stays
  useEffect(() => {
    setChosen(undefined);
    setConfirming(false);
  }, [detail.version, detail.state]);
  useEffect(() => {
    if (chosen) formRef.current?.querySelector<HTMLElement>('textarea, input, select, button[type="submit"]')?.focus();
  }, [chosen?.name]);

  const choose = (action: FlowAction) => {
    setChosen(action);
    setDraft(emptyDraft);
    setConfirming(false);
    clearError();
  };
  const cancel = () => {
    const name = chosen?.name;
    setChosen(undefined);
    setConfirming(false);
    clearError();
    requestAnimationFrame(() => document.getElementById(`case-action-${name}`)?.focus());
  };
  const send = async () => {
    if (!chosen) return;
    let updated: CaseDetail | undefined;
    const done = await run(async () => {
      try {
        updated = await api.post<CaseDetail>(`/v1/cases/${encodeURIComponent(detail.caseNo)}/actions`, requestBody(chosen, detail, draft));
      } catch (caught) {
        if (caught instanceof ApiError && OUTDATED_CODES.has(caught.code)) onStale();
        throw caught;
      } finally {
        setConfirming(false);
      }
    });
    if (done && updated) {
      setChosen(undefined);
      onDone(updated, chosen);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (!chosen) return;
    if (IRREVERSIBLE.has(chosen.name) && !confirming) setConfirming(true);
    else void send();
  };

  if (actions.length === 0) return <p class="muted">当前状态下没有需要您处理的操作。</p>;
  const problems = fieldErrors(error);
  const set = (key: keyof Draft) => (value: string) => setDraft({ ...draft, [key]: value });
  const mode = chosen ? resultMode(chosen, detail) : 'none';
  const comment = chosen ? commentLabel(chosen) : { label: '' };

  return (
    <div class="case-actions">
      <div class="button-row" role="group" aria-label="可执行的操作">
        {actions.map((action) => (
          <Button
            key={action.name}
            id={`case-action-${action.name}`}
            variant={action.name === 'deny' || action.name === 'reject' ? 'danger' : chosen?.name === action.name ? 'primary' : 'secondary'}
            aria-expanded={chosen?.name === action.name}
            aria-controls="case-action-form"
            onClick={() => choose(action)}
          >
            {action.label}
          </Button>
        ))}
      </div>
      {error ? <Notice kind="error">{actionErrorText(error)}</Notice> : null}
      {chosen ? (
        <form id="case-action-form" ref={formRef} class="action-form" onSubmit={submit} noValidate={false}>
          <fieldset disabled={busy}>
            <legend>{chosen.label}</legend>
            {chosen.requires.includes('reason') ? (
              <Field label={chosen.name === 'reject' ? '不予受理理由' : '不予办理理由'} multiline required value={draft.reason} onValue={set('reason')} error={problems.reason} maxLength={2000} />
            ) : null}
            <Field
              label={comment.label}
              hint={comment.hint}
              multiline
              required={chosen.requires.includes('comment')}
              value={draft.comment}
              onValue={set('comment')}
              error={problems.comment}
              maxLength={2000}
            />
            {mode !== 'none' ? (
              <fieldset class="result-fields">
                <legend>{mode === 'required' ? '办理结果' : '办理结果（可在送达时再填写）'}</legend>
                <Field label="结果类型" options={RESULT_KINDS} value={draft.resultKind} onValue={(value) => setDraft({ ...draft, resultKind: value as CaseResult['kind'] })} />
                <Field label="结果名称" required={mode === 'required'} value={draft.resultTitle} onValue={set('resultTitle')} error={problems['result.title']} hint="如：食品经营许可证、不予办理决定书" maxLength={200} />
                <Field label="证照或文书编号" value={draft.resultNumber} onValue={set('resultNumber')} error={problems['result.number']} maxLength={100} />
              </fieldset>
            ) : null}
            {chosen.requires.includes('target') ? (
              <Field label="转办至行政区划代码" hint="6 位 GB/T 2260 代码，如 330106" required inputMode="numeric" pattern="\d{6}" value={draft.targetRegion} onValue={set('targetRegion')} error={problems['target.region'] ?? problems.target} />
            ) : null}
            {confirming ? (
              <div class="confirm-box">
                <p ref={confirmRef} tabIndex={-1} class="confirm-question">
                  确定要执行“{chosen.label}”吗？此操作提交后不能撤销。
                </p>
                <div class="button-row">
                  <Button type="submit" variant={chosen.name === 'deny' || chosen.name === 'reject' ? 'danger' : 'primary'} busy={busy}>
                    确认{chosen.label}
                  </Button>
                  <Button variant="secondary" onClick={() => setConfirming(false)}>
                    返回修改
                  </Button>
                </div>
              </div>
            ) : (
              <div class="button-row">
                <Button type="submit" busy={busy}>
                  {IRREVERSIBLE.has(chosen.name) ? `${chosen.label}…` : `确认${chosen.label}`}
                </Button>
                <Button variant="secondary" onClick={cancel}>
                  取消
                </Button>
              </div>
            )}
          </fieldset>
        </form>
      ) : null}
    </div>
  );
}
