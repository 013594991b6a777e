import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Loading } from '../../components/index.js';
import { useAsync, useCurrentUser } from '../../hooks.js';
import { Link } from '../../router.js';
import { chooseRegion, regionName, regionParam, storedRegion } from './region.js';
import { RegionSwitch } from './region-switch.js';
import { SearchBox } from './search-box.js';
import type { SearchAnswer } from './search.js';

interface LifeEventSummary {
  id: string;
  name: string;
  description: string;
  itemCount: number;
}

interface Recommendation {
  code: string;
  name: string;
  reason: 'personal' | 'popular' | 'life-event';
  basis: string;
}

const reasonLabels: Record<Recommendation['reason'], string> = { personal: '根据您的办理记录', popular: '本地热门', 'life-event': '一件事' };

/** Home: search with live suggestions, themes, life events and what is popular in the region. */
export function HomePage() {
  const user = useCurrentUser();
  const [picked, setRegion] = useState(storedRegion());
  const region = picked ?? user?.region ?? 'national';
  const themes = useAsync(() => api.get<SearchAnswer>('/v1/search', { region: regionParam(region), size: 1 }), [region]);
  const lifeEvents = useAsync(() => api.get<{ lifeEvents: LifeEventSummary[] }>('/v1/life-events'), []);
  const popular = useAsync(() => api.get<{ region: string; recommendations: Recommendation[] }>('/v1/search/recommendations', { region: regionParam(region), limit: 8 }), [region]);
  const regionQuery = region !== 'national' ? `&region=${region}` : '';
  const themeNames = Object.entries(themes.data?.facets.theme ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => name)
    .slice(0, 16);

  return (
    <>
      <section class="hero" aria-labelledby="home-title">
        <h1 id="home-title">政务服务网上大厅</h1>
        <p>一网通办，查指南、在线办、进度查询、电子证照一站服务。</p>
        <SearchBox region={region} label="搜索办事服务" />
        <RegionSwitch
          id="home-region"
          label="当前区域"
          labelClass="group-label label-light"
          value={region}
          onApply={(code) => {
            chooseRegion(code);
            setRegion(code);
          }}
        />
      </section>

      <div class="grid grid-2">
        <section class="page" aria-labelledby="popular-title">
          <h2 id="popular-title">{regionName(region)}热门服务</h2>
          {popular.loading && !popular.data ? <Loading /> : null}
          {popular.data ? (
            <ul class="card-list">
              {popular.data.recommendations.map((item) => (
                <li key={item.code}>
                  <Link href={`/items/${encodeURIComponent(item.code)}${region !== 'national' ? `?region=${region}` : ''}`}>{item.name}</Link>
                  <span class="suggestion-hint">
                    {reasonLabels[item.reason]}：{item.basis}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </section>

        <section class="page" aria-labelledby="themes-title">
          <h2 id="themes-title">主题服务</h2>
          {themes.loading && !themes.data ? <Loading /> : null}
          <ul class="chips">
            {themeNames.map((theme) => (
              <li key={theme}>
                <Link href={`/search?theme=${encodeURIComponent(theme)}${regionQuery}`}>{theme}</Link>
              </li>
            ))}
          </ul>
          <h2 class="section">按服务对象</h2>
          <ul class="chips">
            <li>
              <Link href={`/search?audience=natural${regionQuery}`}>个人办事</Link>
            </li>
            <li>
              <Link href={`/search?audience=legal${regionQuery}`}>法人办事</Link>
            </li>
            <li>
              <Link href={`/search?online=true${regionQuery}`}>可在线办理</Link>
            </li>
          </ul>
        </section>
      </div>

      <section class="page" aria-labelledby="life-events-title">
        <h2 id="life-events-title">一件事一次办</h2>
        {lifeEvents.loading && !lifeEvents.data ? <Loading /> : null}
        <ul class="card-list columns">
          {(lifeEvents.data?.lifeEvents ?? []).map((event) => (
            <li key={event.id} class="card">
              <h3>
                <Link href={`/life-events/${encodeURIComponent(event.id)}`}>{event.name}</Link>
              </h3>
              <p class="muted">{event.description}</p>
              <p class="meta">共 {event.itemCount} 个事项</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
