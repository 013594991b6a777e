import { useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { ApiError, api, errorText, newIdempotencyKey } from '../../api.js';
import { Button, Field, Loading, Notice, formatBytes } from '../../components/index.js';
import { useAsync, useSubmission } from '../../hooks.js';
import { Link, navigate, useRoute, useTitle } from '../../router.js';
import type { ServiceGuide } from './guide-types.js';
import { chosenRegion, regionParam } from './region.js';

const ACCEPTED_TYPES = 'application/pdf,image/jpeg,image/png,application/ofd,.pdf,.jpg,.jpeg,.png,.ofd';
const MAX_BYTES = 20 * 1024 * 1024;

interface MaterialUpload {
  state: 'uploading' | 'done' | 'failed';
  fileName: string;
  size: number;
  progress: number;
  blobId?: string;
  error?: string;
}

/** One material: a file input, the upload's progress bar and its outcome. */
export function MaterialInput({ name, required, upload, onFile }: { name: string; required: boolean; upload: MaterialUpload | undefined; onFile: (file: File) => void }) {
  const inputId = `material-${name}`;
  const statusId = `${inputId}-status`;
  return (
    <div class="upload-row">
      <label for={inputId} class="group-label">
        {name}
        {required ? <span class="required" aria-hidden="true"> *</span> : <span class="muted">（非必需）</span>}
      </label>
      <input
        id={inputId}
        type="file"
        accept={ACCEPTED_TYPES}
        required={required}
        aria-describedby={statusId}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) onFile(file);
        }}
      />
      <div id={statusId} aria-live="polite">
        {upload ? (
          <>
            <progress class="progress" max={100} value={Math.round(upload.progress * 100)} aria-label={`${name}上传进度`} />
            <p class={upload.state === 'failed' ? 'field-error' : 'muted'}>
              {upload.fileName}（{formatBytes(upload.size)}）：
              {upload.state === 'uploading' ? `上传中 ${Math.round(upload.progress * 100)}%` : upload.state === 'done' ? '已上传' : `上传失败：${upload.error ?? ''}`}
            </p>
          </>
        ) : (
          <p class="muted">支持 PDF、JPG、PNG、OFD，不超过 20 MB</p>
        )}
      </div>
    </div>
  );
}

/** Uploads a material file, tracking its progress in `setUploads` under `name`. */
export function useMaterialUploads() {
  const [uploads, setUploads] = useState<Record<string, MaterialUpload>>({});
  const update = (name: string, change: Partial<MaterialUpload>) => setUploads((previous) => ({ ...previous, [name]: { ...previous[name]!, ...change } }));
  const start = async (name: string, file: File) => {
    setUploads((previous) => ({ ...previous, [name]: { state: 'uploading', fileName: file.name, size: file.size, progress: 0 } }));
    if (file.size > MAX_BYTES) {
      update(name, { state: 'failed', error: '文件超过 20 MB' });
      return;
    }
    try {
      const reserved = await api.upload(file, (progress) => update(name, { progress }));
      update(name, { state: 'done', progress: 1, blobId: reserved.blobId });
    } catch (error) {
      update(name, { state: 'failed', error: errorText(error) });
    }
  };
  const done = Object.entries(uploads)
    .filter(([, upload]) => upload.state === 'done' && upload.blobId)
    .map(([name, upload]) => ({ name, blobId: upload.blobId! }));
  const busy = Object.values(uploads).some((upload) => upload.state === 'uploading');
  return { uploads, start, done, busy };
}

/**
 * Apply online: the form of the item's guide, one upload per material with progress, delivery,
 * and a submission whose Idempotency-Key is made once per form so a retry cannot file twice.
 */
export function ApplyPage() {
  const { params, query } = useRoute();
  const code = params.code ?? '';
  const region = query.region ?? chosenRegion();
  const guide = useAsync(() => api.get<ServiceGuide>(`/v1/items/${encodeURIComponent(code)}`, { region: regionParam(region) }), [code, region]);
  useTitle(guide.data ? `在线办理：${guide.data.name}` : undefined);
  const idempotencyKey = useRef(newIdempotencyKey());
  const { uploads, start, done, busy: uploading } = useMaterialUploads();
  const [contactPhone, setContactPhone] = useState('');
  const [remark, setRemark] = useState('');
  const [delivery, setDelivery] = useState<'pickup' | 'express'>('pickup');
  const [address, setAddress] = useState('');
  const { busy: submitting, problem, fields, setProblem, setFields, run } = useSubmission();

  const data = guide.data;
  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!data) return;
    const missing = data.materials.filter((m) => m.required && !done.some((d) => d.name === m.name)).map((m) => m.name);
    const problems: Record<string, string> = {};
    if (delivery === 'express' && !address.trim()) problems.address = '请填写邮寄地址';
    if (missing.length || Object.keys(problems).length) {
      setFields(problems);
      setProblem(missing.length ? `请上传必需材料：${missing.join('、')}` : '请检查填写的内容');
      return;
    }
    await run(
      async () => {
        const answer = await api.post<{ caseNo: string; state: string; dueDate: string }>(
          '/v1/cases',
          {
            itemCode: data.code,
            region: data.region.code,
            ...(contactPhone.trim() ? { applicant: { contactPhone: contactPhone.trim() } } : {}),
            form: remark.trim() ? { remark: remark.trim() } : {},
            materials: done,
            delivery: delivery === 'express' ? { method: 'express', address: address.trim() } : { method: 'pickup' },
          },
          { idempotencyKey: idempotencyKey.current },
        );
        navigate(`/me/cases/${encodeURIComponent(answer.caseNo)}?submitted=1`, { replace: true });
      },
      {
        describe: (error) => (error instanceof ApiError && error.code === 'network_error' ? '网络中断，请重新点击“提交申请”（不会重复提交）' : undefined),
        fieldAliases: { 'applicant.contactPhone': 'contactPhone', 'delivery.address': 'address' },
      },
    );
  };

  return (
    <section class="page">
      <h1>{data ? `在线办理：${data.name}` : '在线办理'}</h1>
      {guide.loading && !data ? <Loading /> : null}
      {guide.error ? <Notice kind="error">{errorText(guide.error)}</Notice> : null}
      {data && !data.onlineApply ? (
        <Notice kind="warning">
          本事项在{data.region.fullName}暂不支持在线申请。<Link href={`/items/${encodeURIComponent(code)}`}>查看办事指南</Link>
        </Notice>
      ) : null}
      {data && data.onlineApply ? (
        <form onSubmit={submit} noValidate aria-describedby="apply-about">
          <p id="apply-about" class="muted">
            {data.region.fullName} · {data.implementation?.agency.name ?? data.department} · 承诺时限 {data.promisedDays === 0 ? '即办' : `${data.promisedDays ?? data.legalDays} 个工作日`}
          </p>
          {problem ? <Notice kind="error">{problem}</Notice> : null}
          <fieldset>
            <legend>申请信息</legend>
            <Field label="联系电话" hint="不填写则使用注册手机号" type="tel" inputMode="numeric" value={contactPhone} onValue={setContactPhone} autoComplete="tel" error={fields.contactPhone} />
            <Field label="申请说明" multiline value={remark} onValue={setRemark} maxLength={1000} error={fields['form.remark']} />
          </fieldset>
          <fieldset>
            <legend>申请材料</legend>
            {data.materials.map((material) => (
              <MaterialInput key={material.name} name={material.name} required={material.required} upload={uploads[material.name]} onFile={(file) => void start(material.name, file)} />
            ))}
          </fieldset>
          <fieldset>
            <legend>结果领取方式</legend>
            <label class="check">
              <input type="radio" name="delivery" checked={delivery === 'pickup'} onChange={() => setDelivery('pickup')} />
              窗口领取
            </label>
            <label class="check">
              <input type="radio" name="delivery" checked={delivery === 'express'} onChange={() => setDelivery('express')} />
              快递送达
            </label>
            {delivery === 'express' ? <Field label="邮寄地址" value={address} onValue={setAddress} autoComplete="street-address" required error={fields.address} /> : null}
          </fieldset>
          <div class="button-row">
            <Button type="submit" busy={submitting} disabled={uploading}>
              提交申请
            </Button>
            <Link href={`/items/${encodeURIComponent(code)}${region !== 'national' ? `?region=${region}` : ''}`} class="button button-secondary">
              返回办事指南
            </Link>
          </div>
        </form>
      ) : null}
    </section>
  );
}
