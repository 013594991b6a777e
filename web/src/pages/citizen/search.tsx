import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../../api.js';
import { EmptyState, Loading, Notice, Pagination } from '../../components/index.js';
import { useAsync, useCurrentUser } from '../../hooks.js';
import { Link, navigate, useRoute } from '../../router.js';
import { Highlight } from './highlight.js';
import { chooseRegion, chosenRegion, regionParam } from './region.js';
import { RegionSwitch } from './region-switch.js';
import { SearchBox, suggestionHref, type Suggestion } from './search-box.js';

export interface SearchHit {
  type: 'item' | 'guide' | 'policy' | 'life-event';
  code?: string;
  id?: string;
  name: string;
  highlight: string;
  region: string;
  regionName: string;
  department?: string;
  agency?: string;
  promisedDays?: number;
  onlineDepth?: number;
  issuedOn?: string;
}

export interface SearchAnswer {
  hits: SearchHit[];
  total: number;
  page: number;
  size: number;
  region: string;
  facets: Record<string, Record<string, number>>;
  suggestions: Suggestion[];
}

const FILTERS = ['type', 'theme', 'department', 'kind', 'audience', 'online'] as const;
type Filter = (typeof FILTERS)[number];
const PAGE_SIZE = 10;

const filterLabels: Record<Filter, string> = { type: '类型', theme: '主题', department: '部门', kind: '事项类型', audience: '服务对象', online: '在线办理' };
const valueLabels: Partial<Record<Filter, Record<string, string>>> = {
  type: { item: '事项', guide: '办事指南', policy: '政策文件', 'life-event': '一件事' },
  audience: { natural: '个人', legal: '法人' },
  online: { true: '可在线办理', false: '需到现场' },
};
const depthLabels = ['', '网上咨询', '网上预审', '网上受理', '全程网办'];

function valueLabel(filter: Filter, value: string): string {
  return valueLabels[filter]?.[value] ?? value;
}

function hitHref(hit: SearchHit): string {
  if (hit.code) return `/items/${encodeURIComponent(hit.code)}${hit.region !== 'national' ? `?region=${hit.region}` : ''}`;
  if (hit.type === 'life-event' && hit.id) return `/life-events/${encodeURIComponent(hit.id)}`;
  return suggestionHref({ text: hit.name, type: hit.type, ...(hit.id ? { id: hit.id } : {}) });
}

/** Search results with facet filters (links that add or remove one filter) and a region switch. */
export function SearchPage() {
  const { query } = useRoute();
  const user = useCurrentUser();
  const q = query.q ?? '';
  const region = query.region ?? chosenRegion();
  const page = Math.max(1, Number(query.page ?? '1') || 1);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const params: Record<string, string | undefined> = { region: regionParam(region), page: String(page), size: String(PAGE_SIZE) };
  if (q) params.q = q;
  for (const filter of FILTERS) if (query[filter]) params[filter] = query[filter]!;
  const key = JSON.stringify(params);
  const results = useAsync(() => api.get<SearchAnswer>('/v1/search', params), [key]);

  useEffect(() => {
    if (user && q) void api.post('/v1/me/footprints', { type: 'search', ref: q.slice(0, 200) }).catch(() => undefined);
  }, [q, user?.sub]);

  const hrefWith = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...query, ...changes })) if (value) next.set(name, value);
    if (!('page' in changes)) next.delete('page');
    return `/search?${next.toString()}`;
  };

  const answer = results.data;
  const active = FILTERS.filter((filter) => query[filter]);
  return (
    <div class="grid with-sidebar">
      <div class="results-main page">
        <h1>{q ? `“${q}”的搜索结果` : '办事服务'}</h1>
        <SearchBox initial={q} region={region} label="搜索办事服务" />
        <div class="results-head section">
          <RegionSwitch
            id="search-region"
            label="区域"
            value={region}
            onApply={(code) => {
              chooseRegion(code);
              navigate(hrefWith({ region: code }));
            }}
          />
          <button type="button" class="button button-secondary facet-toggle" aria-expanded={filtersOpen} aria-controls="facets" onClick={() => setFiltersOpen(!filtersOpen)}>
            筛选{active.length ? `（${active.length}）` : ''}
          </button>
        </div>
        {active.length ? (
          <ul class="chips" aria-label="已选筛选条件">
            {active.map((filter) => (
              <li key={filter}>
                <Link href={hrefWith({ [filter]: undefined })} aria-label={`移除筛选：${filterLabels[filter]} ${valueLabel(filter, query[filter]!)}`}>
                  {filterLabels[filter]}：{valueLabel(filter, query[filter]!)} ×
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
        {results.loading && !answer ? <Loading label="正在搜索…" /> : null}
        {results.error ? <Notice kind="error">{errorText(results.error)}</Notice> : null}
        {answer ? (
          <section aria-labelledby="results-count" aria-busy={results.loading}>
            <p id="results-count" class="muted" role="status">
              共找到 {answer.total} 条结果
            </p>
            {answer.hits.length === 0 ? (
              <EmptyState title="没有找到相关服务">
                <p>换个关键词试试，或减少筛选条件。</p>
                {answer.suggestions.length ? (
                  <p>
                    您是不是要找：
                    {answer.suggestions.slice(0, 3).map((s, index) => (
                      <span key={s.text}>
                        {index ? '、' : ''}
                        <Link href={suggestionHref(s, region)}>{s.text}</Link>
                      </span>
                    ))}
                  </p>
                ) : null}
              </EmptyState>
            ) : (
              <ol class="card-list results" aria-label="搜索结果">
                {answer.hits.map((hit) => (
                  <li key={`${hit.type}-${hit.code ?? hit.id}-${hit.region}`} class="card">
                    <h2 class="result-title">
                      <Link href={hitHref(hit)}>
                        <Highlight text={hit.highlight || hit.name} />
                      </Link>
                    </h2>
                    <ul class="meta">
                      <li>
                        <span class="tag">{valueLabel('type', hit.type)}</span>
                      </li>
                      <li>{hit.regionName}</li>
                      {hit.agency ?? hit.department ? <li>{hit.agency ?? hit.department}</li> : null}
                      {hit.promisedDays !== undefined ? <li>承诺时限：{hit.promisedDays === 0 ? '即办' : `${hit.promisedDays} 个工作日`}</li> : null}
                      {hit.onlineDepth ? <li>{depthLabels[hit.onlineDepth] ?? ''}</li> : null}
                      {hit.issuedOn ? <li>发布：{hit.issuedOn}</li> : null}
                    </ul>
                  </li>
                ))}
              </ol>
            )}
            <Pagination page={answer.page} pageCount={Math.ceil(answer.total / answer.size)} hrefOf={(n) => hrefWith({ page: String(n) })} />
          </section>
        ) : null}
      </div>
      <aside id="facets" class={`facets page${filtersOpen ? ' open' : ''}`} aria-label="筛选条件">
        <h2>筛选</h2>
        {FILTERS.map((filter) => {
          const counts = Object.entries(answer?.facets[filter] ?? {}).sort((a, b) => b[1] - a[1]);
          if (filter === 'online' && !counts.length) counts.push(['true', 0]);
          if (!counts.length) return null;
          return (
            <section key={filter} class="facet-group" aria-labelledby={`facet-${filter}`}>
              <h3 id={`facet-${filter}`}>{filterLabels[filter]}</h3>
              <ul class="plain">
                {counts.slice(0, 12).map(([value, count]) => {
                  const selected = query[filter] === value;
                  return (
                    <li key={value}>
                      <Link href={hrefWith({ [filter]: selected ? undefined : value })} aria-current={selected ? 'true' : undefined} class="facet-link">
                        <span class="facet-check" aria-hidden="true">
                          {selected ? '☑' : '☐'}
                        </span>{' '}
                        {valueLabel(filter, value)}
                        {count ? <span class="muted"> ({count})</span> : null}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      </aside>
    </div>
  );
}
