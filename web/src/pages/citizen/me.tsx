import { api, errorText } from '../../api.js';
import { Loading, Notice, formatDate } from '../../components/index.js';
import { useAsync } from '../../hooks.js';
import { Link } from '../../router.js';

export interface Profile {
  accountId: string;
  subjectType: string;
  name: string;
  level: number;
  verifiedMethods: string[];
  roles: string[];
  idNumber?: string;
  uscc?: string;
  phone?: string;
  email?: string;
  representative?: { name: string; idNumber: string };
  createdAt: string;
}

export const levelLabels = ['', '一级（注册）', '二级（手机核验）', '三级（身份核验）', '四级（现场或人脸核验）'];
const subjectLabels: Record<string, string> = { natural: '个人', legal: '法人', organization: '其他组织', staff: '工作人员' };

const myPages = [
  { href: '/me/cases', label: '我的办件' },
  { href: '/me/messages', label: '我的消息' },
  { href: '/me/wallet', label: '我的卡包' },
  { href: '/interactions', label: '我的咨询投诉' },
  { href: '/me/favorites', label: '我的收藏' },
  { href: '/me/footprints', label: '我的足迹' },
  { href: '/me/privacy', label: '隐私设置' },
  { href: '/me/level', label: '提升实名认证等级' },
];

/** The personal centre: the masked profile, the real-name level and links to every personal page. */
export function MePage() {
  const profile = useAsync(() => api.get<Profile>('/v1/identity/me'), []);
  const data = profile.data;
  return (
    <section class="page">
      <h1>个人中心</h1>
      {profile.loading && !data ? <Loading /> : null}
      {profile.error ? <Notice kind="error">{errorText(profile.error)}</Notice> : null}
      {data ? (
        <dl class="facts">
          <dt>名称</dt>
          <dd>{data.name}</dd>
          <dt>类型</dt>
          <dd>{subjectLabels[data.subjectType] ?? data.subjectType}</dd>
          <dt>实名等级</dt>
          <dd>
            {levelLabels[data.level] ?? data.level} {data.level < 3 ? <Link href="/me/level">去提升</Link> : null}
          </dd>
          {data.idNumber ? (
            <>
              <dt>证件号码</dt>
              <dd>{data.idNumber}</dd>
            </>
          ) : null}
          {data.uscc ? (
            <>
              <dt>信用代码</dt>
              <dd>{data.uscc}</dd>
            </>
          ) : null}
          {data.phone ? (
            <>
              <dt>手机号</dt>
              <dd>{data.phone}</dd>
            </>
          ) : null}
          <dt>注册时间</dt>
          <dd>{formatDate(data.createdAt)}</dd>
        </dl>
      ) : null}
      <nav aria-label="个人服务" class="section">
        <ul class="chips">
          {myPages.map((page) => (
            <li key={page.href}>
              <Link href={page.href}>{page.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
    </section>
  );
}
