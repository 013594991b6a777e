import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api.js';
import { Button, Loading, Notice } from '../../components/index.js';
import { useAsync, useCurrentUser } from '../../hooks.js';
import { Link, navigate, useRoute, useTitle } from '../../router.js';
import type { Hall, ServiceGuide } from './guide-types.js';
import { chosenRegion, regionParam } from './region.js';
import { RegionSwitch } from './region-switch.js';

interface Favorite {
  favoriteId: string;
  type: string;
  ref: string;
}

const depthLabels = ['', '网上咨询（一级）', '网上预审（二级）', '网上受理（三级）', '全程网办（四级）'];

function days(count: number | undefined): string {
  if (count === undefined) return '—';
  return count === 0 ? '即办' : `${count} 个工作日`;
}

function HallList({ halls }: { halls: readonly Hall[] }) {
  if (!halls.length) return <p class="muted">暂无办理大厅信息。</p>;
  return (
    <ul class="plain map-list">
      {halls.map((hall) => (
        <li key={hall.id}>
          <p>
            <strong>{hall.name}</strong>
          </p>
          <p class="muted">
            地址：{hall.address}
            {hall.openingHours ? ` · 办公时间：${hall.openingHours}` : ''}
            {hall.phone ? ` · 电话：${hall.phone}` : ''}
          </p>
          {hall.location ? (
            <p>
              <a href={`https://uri.amap.com/marker?position=${hall.location.lng},${hall.location.lat}&name=${encodeURIComponent(hall.name)}`} rel="noopener noreferrer" target="_blank">
                在地图上查看<span class="visually-hidden">{hall.name}（在新窗口打开）</span>
              </a>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The service guide of an item in a region: conditions, materials, time limits, fees, halls; favourite and apply online. */
export function ItemGuidePage() {
  const { params, query } = useRoute();
  const code = params.code ?? '';
  const region = query.region ?? chosenRegion();
  const user = useCurrentUser();
  const guide = useAsync(() => api.get<ServiceGuide>(`/v1/items/${encodeURIComponent(code)}`, { region: regionParam(region) }), [code, region]);
  const halls = useAsync(
    async () => (guide.data && !guide.data.halls.length ? (await api.get<{ halls: Hall[] }>('/v1/halls', { item: code, ...({ region: regionParam(region) }) })).halls : []),
    [guide.data],
  );
  const [favorite, setFavorite] = useState<Favorite | undefined>();
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | undefined>();
  const [busy, setBusy] = useState(false);
  useTitle(guide.data?.name);

  useEffect(() => {
    if (!user) return;
    void api.post('/v1/me/footprints', { type: 'item', ref: code }).catch(() => undefined);
    api.get<{ favorites: Favorite[] }>('/v1/me/favorites').then(
      (answer) => setFavorite(answer.favorites.find((f) => f.type === 'item' && f.ref === code)),
      () => undefined,
    );
  }, [code, user?.sub]);

  const toggleFavorite = async () => {
    if (!user) {
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      return;
    }
    setBusy(true);
    try {
      if (favorite) {
        await api.del(`/v1/me/favorites/${encodeURIComponent(favorite.favoriteId)}`);
        setFavorite(undefined);
        setNotice({ kind: 'success', text: '已取消收藏' });
      } else {
        setFavorite(await api.post<Favorite>('/v1/me/favorites', { type: 'item', ref: code }));
        setNotice({ kind: 'success', text: '已加入收藏' });
      }
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  const data = guide.data;
  const applyHref = `/items/${encodeURIComponent(code)}/apply?region=${encodeURIComponent(data?.region.code ?? region)}`;
  return (
    <article class="page">
      <h1>{data?.name ?? '办事指南'}</h1>
      {guide.loading && !data ? <Loading /> : null}
      {guide.error ? <Notice kind="error">{errorText(guide.error)}</Notice> : null}
      {data ? (
        <>
          <p class="muted">
            事项编码 {data.code} · {data.region.fullName}
            {data.implementation ? ` · ${data.implementation.agency.name}` : ` · ${data.department}`}
          </p>
          <RegionSwitch id="guide-region" label="查看其他地区的办事指南" value={region} onApply={(next) => navigate(`/items/${encodeURIComponent(code)}?region=${next}`, { replace: true })} />
          <div class="button-row">
            {data.onlineApply ? (
              user ? (
                <Link href={applyHref} class="button button-primary">
                  在线办理
                </Link>
              ) : (
                <Link href={`/login?next=${encodeURIComponent(applyHref)}`} class="button button-primary">
                  在线办理
                </Link>
              )
            ) : null}
            <Button variant="secondary" onClick={toggleFavorite} busy={busy} aria-pressed={Boolean(favorite)}>
              {favorite ? '取消收藏' : '收藏'}
            </Button>
            <Link href={`/interactions/new?kind=consult&item=${encodeURIComponent(code)}`} class="button button-secondary">
              咨询
            </Link>
          </div>
          {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
          {!data.onlineApply ? <Notice kind="info">本事项在该地区暂不支持在线申请，请携带材料到下列大厅或窗口办理。</Notice> : null}

          <section class="section" aria-labelledby="basics">
            <h2 id="basics">基本信息</h2>
            <dl class="facts">
              <dt>事项类型</dt>
              <dd>{data.kind}</dd>
              <dt>实施部门</dt>
              <dd>{data.implementation?.agency.name ?? data.department}</dd>
              <dt>服务对象</dt>
              <dd>{data.audience.map((a) => (a === 'natural' ? '自然人' : a === 'legal' ? '法人' : a)).join('、')}</dd>
              <dt>法定时限</dt>
              <dd>{days(data.legalDays)}</dd>
              <dt>承诺时限</dt>
              <dd>{days(data.promisedDays)}</dd>
              <dt>网办深度</dt>
              <dd>{depthLabels[data.onlineDepth ?? 0] || '—'}</dd>
              <dt>是否收费</dt>
              <dd>
                {data.fee ? '收费' : '不收费'}
                {data.feeNote ? `（${data.feeNote}）` : ''}
              </dd>
              {data.legalBasis ? (
                <>
                  <dt>设定依据</dt>
                  <dd>{data.legalBasis}</dd>
                </>
              ) : null}
              {data.contactPhone ? (
                <>
                  <dt>咨询电话</dt>
                  <dd>{data.contactPhone}</dd>
                </>
              ) : null}
            </dl>
          </section>

          <section class="section" aria-labelledby="conditions">
            <h2 id="conditions">受理条件</h2>
            <ul>
              {data.conditions.map((condition) => (
                <li key={condition}>{condition}</li>
              ))}
            </ul>
          </section>

          <section class="section" aria-labelledby="materials">
            <h2 id="materials">申请材料</h2>
            <div class="table-scroll">
              <table>
                <caption class="visually-hidden">申请材料清单</caption>
                <thead>
                  <tr>
                    <th scope="col">材料名称</th>
                    <th scope="col">是否必需</th>
                  </tr>
                </thead>
                <tbody>
                  {data.materials.map((material) => (
                    <tr key={material.name}>
                      <td>{material.name}</td>
                      <td>{material.required ? '必需' : '非必需'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          {data.windows.length ? (
            <section class="section" aria-labelledby="windows">
              <h2 id="windows">办理窗口</h2>
              <ul class="plain map-list">
                {data.windows.map((window) => (
                  <li key={window.name}>
                    <strong>{window.name}</strong>
                    <p class="muted">
                      {window.address ? `地址：${window.address}` : ''}
                      {window.hours ? ` · ${window.hours}` : ''}
                      {window.phone ? ` · 电话：${window.phone}` : ''}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <section class="section" aria-labelledby="halls">
            <h2 id="halls">办理大厅</h2>
            {halls.loading && !data.halls.length ? <Loading /> : <HallList halls={data.halls.length ? data.halls : (halls.data ?? [])} />}
          </section>
        </>
      ) : null}
    </article>
  );
}
