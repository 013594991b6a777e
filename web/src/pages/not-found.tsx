import { Link } from '../router.js';

export function NotFoundPage() {
  return (
    <section class="page narrow">
      <h1>页面不存在</h1>
      <p>您访问的页面不存在或已被移除。</p>
      <p>
        <Link href="/">返回首页</Link> 或 <Link href="/search">搜索办事服务</Link>
      </p>
    </section>
  );
}
