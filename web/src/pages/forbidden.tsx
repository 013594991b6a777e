import { Link } from '../router.js';

export function ForbiddenPage() {
  return (
    <section class="page narrow">
      <h1>无权访问</h1>
      <p>此页面仅供工作人员使用。如您是工作人员，请使用工作人员账号登录。</p>
      <p>
        <Link href="/">返回首页</Link>
      </p>
    </section>
  );
}
