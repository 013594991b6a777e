import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { api } from '../../api.js';
import { Button, Field, Notice } from '../../components/index.js';
import { useAsync, useSubmission } from '../../hooks.js';
import { renew } from '../../session.js';
import { SmsCodeButton } from './login.js';
import { levelLabels, type Profile } from './me.js';

/** Raise the real-name level with an SMS code (to level 2) or an ID card check (to level 3). */
export function LevelUpgradePage() {
  const profile = useAsync(() => api.get<Profile>('/v1/identity/me'), []);
  const [method, setMethod] = useState<'sms' | 'id-card'>('sms');
  const [values, setValues] = useState<Record<string, string>>({ validUntil: '' });
  const [upgraded, setUpgraded] = useState<string | undefined>();
  const { busy, problem, fields, setProblem, run } = useSubmission();
  const set = (name: string) => (value: string) => setValues((previous) => ({ ...previous, [name]: value }));
  const value = (name: string) => values[name] ?? '';

  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setUpgraded(undefined);
    const evidence =
      method === 'sms' ? { smsCode: value('smsCode').trim() } : { name: value('name').trim(), idNumber: value('idNumber').trim(), validUntil: value('validUntil').trim() };
    await run(
      async () => {
        const answer = await api.post<{ level: number; previousLevel: number }>('/v1/identity/level-upgrades', { method, evidence });
        await renew();
        profile.reload();
        setUpgraded(`认证成功，当前实名等级：${levelLabels[answer.level] ?? answer.level}`);
      },
      { fieldAliases: { 'evidence.smsCode': 'smsCode', 'evidence.name': 'name', 'evidence.idNumber': 'idNumber', 'evidence.validUntil': 'validUntil' } },
    );
  };

  const phone = profile.data?.phone ?? '';
  return (
    <section class="page narrow">
      <h1>提升实名认证等级</h1>
      {profile.data ? <p>当前等级：{levelLabels[profile.data.level] ?? profile.data.level}</p> : null}
      {upgraded ? <Notice kind="success">{upgraded}</Notice> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>认证方式</legend>
          <label class="check">
            <input type="radio" name="upgrade-method" checked={method === 'sms'} onChange={() => setMethod('sms')} />
            手机短信核验（二级）
          </label>
          <label class="check">
            <input type="radio" name="upgrade-method" checked={method === 'id-card'} onChange={() => setMethod('id-card')} />
            居民身份证核验（三级）
          </label>
        </fieldset>
        {method === 'sms' ? (
          <>
          <Field label="注册手机号" hint={phone ? `请输入完整的注册手机号（${phone}）` : undefined} type="tel" inputMode="numeric" value={value('phone')} onValue={set('phone')} autoComplete="tel" required error={fields.phone} />
          <Field label="短信验证码" inputMode="numeric" maxLength={6} value={value('smsCode')} onValue={set('smsCode')} autoComplete="one-time-code" required error={fields.smsCode}>
            <p class="muted">点击“获取验证码”后查收短信。</p>
          </Field>
          </>
        ) : (
          <>
            <Field label="姓名" value={value('name')} onValue={set('name')} autoComplete="name" required error={fields.name} />
            <Field label="身份证号" value={value('idNumber')} onValue={set('idNumber')} maxLength={18} required error={fields.idNumber} />
            <Field label="证件有效期至" hint="格式 YYYY-MM-DD，长期有效请填“长期”" value={value('validUntil')} onValue={set('validUntil')} required error={fields.validUntil} />
          </>
        )}
        <div class="button-row">
          {method === 'sms' ? <SmsCodeButton phone={value('phone')} purpose="upgrade" onError={setProblem} /> : null}
          <Button type="submit" busy={busy}>
            提交认证
          </Button>
        </div>
      </form>
    </section>
  );
}
