import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { ApiError, errorText } from '../../api.js';
import { Button, Field, Notice } from '../../components/index.js';
import { useSubmission } from '../../hooks.js';
import { Link, navigate, useRoute } from '../../router.js';
import { isStaff, login, loginWithSms, sendSmsCode } from '../../session.js';

/** Where to go after login: only a path of this site. */
export function safeNext(next: string | undefined, fallback = '/'): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

/** The button that asks for an SMS code and then counts down before it may ask again. */
export function SmsCodeButton({ phone, purpose, onError }: { phone: string; purpose: 'login' | 'register' | 'upgrade'; onError: (text: string | undefined) => void }) {
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  const request = async () => {
    setBusy(true);
    onError(undefined);
    try {
      await sendSmsCode(phone.trim(), purpose);
      setWait(60);
      const timer = setInterval(() => setWait((left) => {
        if (left <= 1) clearInterval(timer);
        return left - 1;
      }), 1000);
    } catch (error) {
      onError(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="secondary" onClick={request} busy={busy} disabled={wait > 0 || !phone.trim()}>
      {wait > 0 ? `${wait} 秒后可重新获取` : '获取验证码'}
    </Button>
  );
}

/** Login with a password (phone, ID number, USCC or username) or with an SMS code. */
export function LoginPage() {
  const { query } = useRoute();
  const [method, setMethod] = useState<'password' | 'sms'>('password');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const { busy, problem, fields, setProblem, run } = useSubmission();

  const submit = (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(
      async () => {
        const user = method === 'password' ? await login(username.trim(), password) : await loginWithSms(phone.trim(), code.trim());
        navigate(safeNext(query.next, isStaff(user) ? '/staff' : '/'), { replace: true });
      },
      { describe: (error) => (error instanceof ApiError && error.status === 401 ? '账号或密码（验证码）不正确' : undefined) },
    );
  };

  return (
    <section class="page narrow">
      <h1>登录</h1>
      <div class="tabs" role="group" aria-label="登录方式">
        <Button variant="secondary" aria-pressed={method === 'password'} onClick={() => setMethod('password')}>
          密码登录
        </Button>
        <Button variant="secondary" aria-pressed={method === 'sms'} onClick={() => setMethod('sms')}>
          短信验证码登录
        </Button>
      </div>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <form onSubmit={submit} noValidate>
        {method === 'password' ? (
          <>
            <Field label="账号" hint="手机号、身份证号、统一社会信用代码或用户名" value={username} onValue={setUsername} autoComplete="username" required error={fields.username} />
            <Field label="密码" type="password" value={password} onValue={setPassword} autoComplete="current-password" required error={fields.password} />
          </>
        ) : (
          <>
            <Field label="手机号" type="tel" inputMode="numeric" value={phone} onValue={setPhone} autoComplete="tel" required error={fields.phone} />
            <Field label="短信验证码" inputMode="numeric" value={code} onValue={setCode} autoComplete="one-time-code" required maxLength={6} error={fields.smsCode}>
              <div class="button-row">
                <SmsCodeButton phone={phone} purpose="login" onError={setProblem} />
              </div>
            </Field>
          </>
        )}
        <div class="button-row">
          <Button type="submit" busy={busy}>
            登录
          </Button>
        </div>
      </form>
      <p>
        还没有账号？<Link href={`/register${query.next ? `?next=${encodeURIComponent(query.next)}` : ''}`}>立即注册</Link>
      </p>
    </section>
  );
}
