import { useState } from 'preact/hooks';
import { Fragment, type JSX } from 'preact';
import { api, errorText, fieldErrors } from '../../api.js';
import { Button, EmptyState, Field, Loading, Notice, formatDate } from '../../components/index.js';
import { useAsync } from '../../hooks.js';
import { Link, useRoute, useTitle } from '../../router.js';

interface Certificate {
  identifier: string;
  typeCode: string;
  name: string;
  holderName: string;
  issuerName: string;
  issueDate: string;
  validFrom: string;
  validUntil?: string;
  status: string;
  statusReason?: string;
  surface: Record<string, unknown>;
  caseNo?: string;
}

interface UsageGrant {
  grantId: string;
  agency: string;
  caseNo?: string;
  validUntil: string;
  grantedAt: string;
  revokedAt?: string;
}

interface UsageLog {
  grants: UsageGrant[];
  uses: { at: string; user: string; agency?: string; operation: string; useCause?: string; caseNo?: string; outcome: 'allowed' | 'refused'; reason?: string }[];
}

const statusLabels: Record<string, string> = { valid: '有效', revoked: '已注销', expired: '已过期', suspended: '已暂停', superseded: '已更新' };

/** The card wallet: the caller's certificates by type (valid ones, or all with history). */
export function WalletPage() {
  const [history, setHistory] = useState(false);
  const wallet = useAsync(() => api.get<{ types: { typeCode: string; name: string; certificates: Certificate[] }[] }>('/v1/me/wallet', history ? { include: 'history' } : {}), [history]);
  const empty = wallet.data && !wallet.data.types.some((type) => type.certificates.length);
  return (
    <section class="page">
      <h1>我的卡包</h1>
      <label class="check">
        <input type="checkbox" checked={history} onChange={(event) => setHistory(event.currentTarget.checked)} />
        显示已失效的证照
      </label>
      {wallet.loading && !wallet.data ? <Loading /> : null}
      {wallet.error ? <Notice kind="error">{errorText(wallet.error)}</Notice> : null}
      {empty ? <EmptyState title="卡包中还没有电子证照">办结的事项所颁发的证照会自动放入卡包。</EmptyState> : null}
      {(wallet.data?.types ?? []).map((type) =>
        type.certificates.length ? (
          <section key={type.typeCode} class="section" aria-labelledby={`type-${type.typeCode}`}>
            <h2 id={`type-${type.typeCode}`}>{type.name}</h2>
            <ul class="card-list columns">
              {type.certificates.map((certificate) => (
                <li key={certificate.identifier} class="card">
                  <h3>
                    <Link href={`/me/wallet/${encodeURIComponent(certificate.identifier)}`}>{certificate.name}</Link>
                  </h3>
                  <ul class="meta">
                    <li>
                      <span class={`tag ${certificate.status === 'valid' ? 'tag-ok' : 'tag-warn'}`}>{statusLabels[certificate.status] ?? certificate.status}</span>
                    </li>
                    <li>{certificate.issuerName}</li>
                    <li>签发 {certificate.issueDate}</li>
                    {certificate.validUntil ? <li>有效期至 {certificate.validUntil}</li> : null}
                  </ul>
                </li>
              ))}
            </ul>
          </section>
        ) : null,
      )}
    </section>
  );
}

/** A certificate of the caller: its surface, who used it (usage log), and grants to agencies. */
export function CertificatePage() {
  const { params } = useRoute();
  const identifier = params.identifier ?? '';
  const certificate = useAsync(() => api.get<Certificate>(`/v1/certificates/${encodeURIComponent(identifier)}`), [identifier]);
  const log = useAsync(() => api.get<UsageLog>(`/v1/certificates/${encodeURIComponent(identifier)}/usage-log`), [identifier]);
  const [agency, setAgency] = useState('');
  const [caseNo, setCaseNo] = useState('');
  const [days, setDays] = useState('7');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  useTitle(certificate.data?.name);

  const grant = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setFields({});
    setNotice(undefined);
    const validUntil = new Date(Date.now() + Number(days) * 86_400_000).toISOString();
    try {
      await api.post(`/v1/certificates/${encodeURIComponent(identifier)}/usage-grants`, { agency: agency.trim().toUpperCase(), ...(caseNo.trim() ? { caseNo: caseNo.trim() } : {}), validUntil });
      setNotice({ kind: 'success', text: '已授权' });
      setAgency('');
      setCaseNo('');
      log.reload();
    } catch (error) {
      setFields(fieldErrors(error));
      setNotice({ kind: 'error', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (grantId: string) => {
    try {
      await api.del(`/v1/certificates/${encodeURIComponent(identifier)}/usage-grants/${encodeURIComponent(grantId)}`);
      setNotice({ kind: 'success', text: '已撤销授权' });
      log.reload();
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };

  const data = certificate.data;
  return (
    <article class="page">
      <h1>{data?.name ?? '电子证照'}</h1>
      {certificate.loading && !data ? <Loading /> : null}
      {certificate.error ? <Notice kind="error">{errorText(certificate.error)}</Notice> : null}
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      {data ? (
        <dl class="facts">
          <dt>持证人</dt>
          <dd>{data.holderName}</dd>
          <dt>颁发单位</dt>
          <dd>{data.issuerName}</dd>
          <dt>签发日期</dt>
          <dd>{data.issueDate}</dd>
          <dt>有效期</dt>
          <dd>
            {data.validFrom} 至 {data.validUntil ?? '长期'}
          </dd>
          <dt>状态</dt>
          <dd>
            {statusLabels[data.status] ?? data.status}
            {data.statusReason ? `（${data.statusReason}）` : ''}
          </dd>
          {Object.entries(data.surface).map(([name, value]) =>
            typeof value === 'string' || typeof value === 'number' ? (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{String(value)}</dd>
              </Fragment>
            ) : null,
          )}
        </dl>
      ) : null}

      <section class="section" aria-labelledby="grants-title">
        <h2 id="grants-title">用证授权</h2>
        {log.data?.grants.length ? (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">授权部门</th>
                  <th scope="col">办件</th>
                  <th scope="col">有效期至</th>
                  <th scope="col">操作</th>
                </tr>
              </thead>
              <tbody>
                {log.data.grants.map((item) => (
                  <tr key={item.grantId}>
                    <td>{item.agency}</td>
                    <td>{item.caseNo ?? '—'}</td>
                    <td>{formatDate(item.validUntil)}</td>
                    <td>
                      {item.revokedAt ? (
                        `已于 ${formatDate(item.revokedAt)} 撤销`
                      ) : (
                        <Button variant="link" onClick={() => void revoke(item.grantId)}>
                          撤销
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="muted">尚未授权任何部门使用此证照。</p>
        )}
        <form onSubmit={grant} noValidate>
          <h3>新增授权</h3>
          <Field label="部门统一社会信用代码" value={agency} onValue={setAgency} maxLength={18} required error={fields.agency} />
          <Field label="办件编号（可选）" value={caseNo} onValue={setCaseNo} error={fields.caseNo} />
          <Field
            label="授权期限"
            options={[
              { value: '1', label: '1 天' },
              { value: '7', label: '7 天' },
              { value: '30', label: '30 天' },
            ]}
            value={days}
            onValue={setDays}
          />
          <Button type="submit" busy={busy}>
            授权
          </Button>
        </form>
      </section>

      <section class="section" aria-labelledby="uses-title">
        <h2 id="uses-title">用证记录</h2>
        {log.loading && !log.data ? <Loading /> : null}
        {log.data && !log.data.uses.length ? <p class="muted">暂无用证记录。</p> : null}
        {log.data?.uses.length ? (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">时间</th>
                  <th scope="col">使用方</th>
                  <th scope="col">用途</th>
                  <th scope="col">结果</th>
                </tr>
              </thead>
              <tbody>
                {log.data.uses.map((use, index) => (
                  <tr key={`${use.at}-${index}`}>
                    <td>{formatDate(use.at)}</td>
                    <td>{use.agency ?? use.user}</td>
                    <td>
                      {use.useCause ?? use.operation}
                      {use.caseNo ? `（${use.caseNo}）` : ''}
                    </td>
                    <td>{use.outcome === 'allowed' ? '允许' : `拒绝${use.reason ? `：${use.reason}` : ''}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <p>
        <Link href="/me/wallet">返回卡包</Link>
      </p>
    </article>
  );
}
