import { useState } from 'preact/hooks';
import { api, errorText, fieldErrors } from '../../api.js';
import { Button, Field, Notice } from '../../components/index.js';
import type { CaseDetail } from './staff-api.js';
import { useSubmission } from '../../hooks.js';

/** PUT /v1/cases/{caseNo}/express: the carrier, tracking number and (optionally) the first tracking event. */
export function ExpressForm({ detail, onSaved }: { detail: CaseDetail; onSaved: () => void }) {
  const [carrier, setCarrier] = useState(detail.express?.carrier ?? '');
  const [trackingNo, setTrackingNo] = useState(detail.express?.trackingNo ?? '');
  const [event, setEvent] = useState('');
  const [location, setLocation] = useState('');
  const { busy, error, run } = useSubmission();
  const [saved, setSaved] = useState(false);

  const submit = async (submitted: Event) => {
    submitted.preventDefault();
    setSaved(false);
    const events = [
      ...(detail.express?.events ?? []),
      ...(event.trim() ? [{ at: new Date().toISOString(), description: event.trim(), ...(location.trim() ? { location: location.trim() } : {}) }] : []),
    ];
    const done = await run(() => api.put(`/v1/cases/${encodeURIComponent(detail.caseNo)}/express`, { carrier: carrier.trim(), trackingNo: trackingNo.trim(), events }));
    if (!done) return;
    setSaved(true);
    setEvent('');
    setLocation('');
    onSaved();
  };
  const problems = fieldErrors(error);
  return (
    <form class="express-form" onSubmit={submit}>
      <fieldset disabled={busy}>
        <legend>{detail.express ? '更新快递信息' : '登记快递信息'}</legend>
        {error ? <Notice kind="error">{errorText(error)}</Notice> : null}
        {saved ? <Notice kind="success">快递信息已保存，申请人可在办件查询中看到。</Notice> : null}
        <Field label="快递公司" required value={carrier} onValue={setCarrier} error={problems.carrier} maxLength={100} autoComplete="off" />
        <Field label="快递单号" required value={trackingNo} onValue={setTrackingNo} error={problems.trackingNo} hint="4 至 40 位字母、数字或短横线" pattern="[A-Za-z0-9\-]{4,40}" autoComplete="off" />
        <Field label="新增物流动态（选填）" value={event} onValue={setEvent} hint="如：已揽收" error={problems['events.0.description']} maxLength={500} />
        <Field label="所在地点（选填）" value={location} onValue={setLocation} maxLength={200} />
        <div class="button-row">
          <Button type="submit" busy={busy}>
            保存快递信息
          </Button>
        </div>
      </fieldset>
    </form>
  );
}
