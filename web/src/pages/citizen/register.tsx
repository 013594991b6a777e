import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { ApiError, api } from '../../api.js';
import { Button, Field, Notice } from '../../components/index.js';
import { useSubmission } from '../../hooks.js';
import { Link, navigate, useRoute } from '../../router.js';
import { login } from '../../session.js';
import { SmsCodeButton, safeNext } from './login.js';

const idTypeOptions = [
  { value: 'resident-id', label: '居民身份证' },
  { value: 'hk-mo-permit', label: '港澳居民来往内地通行证' },
  { value: 'tw-permit', label: '台湾居民来往大陆通行证' },
  { value: 'passport', label: '护照' },
  { value: 'foreign-permanent', label: '外国人永久居留身份证' },
];

/** Registration of a natural person, or of a legal person / organisation with its representative. */
export function RegisterPage() {
  const { query } = useRoute();
  const [type, setType] = useState<'natural' | 'legal' | 'organization'>('natural');
  const [values, setValues] = useState<Record<string, string>>({ idType: 'resident-id' });
  const { busy, problem, fields, setProblem, setFields, run } = useSubmission();
  const set = (name: string) => (value: string) => setValues((previous) => ({ ...previous, [name]: value }));
  const value = (name: string) => values[name] ?? '';

  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (value('password') !== value('passwordAgain')) {
      setFields({ passwordAgain: '两次输入的密码不一致' });
      return;
    }
    const common = { phone: value('phone').trim(), password: value('password'), ...(value('smsCode').trim() ? { smsCode: value('smsCode').trim() } : {}), ...(value('email').trim() ? { email: value('email').trim() } : {}) };
    const body =
      type === 'natural'
        ? { type, name: value('name').trim(), idType: value('idType'), idNumber: value('idNumber').trim(), ...common }
        : { type, name: value('name').trim(), uscc: value('uscc').trim(), representative: { name: value('representativeName').trim(), idNumber: value('representativeIdNumber').trim() }, ...common };
    await run(
      async () => {
        await api.post('/v1/identity/registrations', body, { anonymous: true });
        await login(common.phone, common.password);
        navigate(safeNext(query.next, '/me'), { replace: true });
      },
      {
        describe: (error) => (error instanceof ApiError && error.status === 409 ? '该手机号或证件号已注册，请直接登录' : undefined),
        fieldAliases: { 'representative.name': 'representativeName', 'representative.idNumber': 'representativeIdNumber' },
      },
    );
  };

  return (
    <section class="page narrow">
      <h1>注册</h1>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>注册类型</legend>
          {(
            [
              ['natural', '个人'],
              ['legal', '法人（企业）'],
              ['organization', '其他组织'],
            ] as const
          ).map(([code, label]) => (
            <label key={code} class="check">
              <input type="radio" name="subject-type" value={code} checked={type === code} onChange={() => setType(code)} />
              {label}
            </label>
          ))}
        </fieldset>
        {type === 'natural' ? (
          <>
            <Field label="姓名" value={value('name')} onValue={set('name')} autoComplete="name" required error={fields.name} />
            <Field label="证件类型" options={idTypeOptions} value={value('idType')} onValue={set('idType')} error={fields.idType} />
            <Field label="证件号码" value={value('idNumber')} onValue={set('idNumber')} required error={fields.idNumber} />
          </>
        ) : (
          <>
            <Field label={type === 'legal' ? '企业名称' : '组织名称'} value={value('name')} onValue={set('name')} autoComplete="organization" required error={fields.name} />
            <Field label="统一社会信用代码" value={value('uscc')} onValue={set('uscc')} required maxLength={18} error={fields.uscc} />
            <Field label="法定代表人（负责人）姓名" value={value('representativeName')} onValue={set('representativeName')} required error={fields.representativeName} />
            <Field label="法定代表人（负责人）身份证号" value={value('representativeIdNumber')} onValue={set('representativeIdNumber')} required maxLength={18} error={fields.representativeIdNumber} />
          </>
        )}
        <Field label="手机号" type="tel" inputMode="numeric" value={value('phone')} onValue={set('phone')} autoComplete="tel" required error={fields.phone} />
        <Field label="短信验证码" hint="填写验证码可直接获得二级实名认证，也可以稍后再认证" inputMode="numeric" maxLength={6} value={value('smsCode')} onValue={set('smsCode')} autoComplete="one-time-code" error={fields.smsCode}>
          <div class="button-row">
            <SmsCodeButton phone={value('phone')} purpose="register" onError={setProblem} />
          </div>
        </Field>
        <Field label="电子邮箱" type="email" value={value('email')} onValue={set('email')} autoComplete="email" error={fields.email} />
        <Field label="密码" hint="至少 10 位，不能是常见密码，不能包含手机号或证件号" type="password" value={value('password')} onValue={set('password')} autoComplete="new-password" required error={fields.password} />
        <Field label="确认密码" type="password" value={value('passwordAgain')} onValue={set('passwordAgain')} autoComplete="new-password" required error={fields.passwordAgain} />
        <div class="button-row">
          <Button type="submit" busy={busy}>
            注册
          </Button>
        </div>
      </form>
      <p>
        已有账号？<Link href="/login">登录</Link>
      </p>
    </section>
  );
}
