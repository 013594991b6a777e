import { useState } from 'preact/hooks';
import { api, errorText } from '../../api.js';
import { Button, EmptyState, Loading, Notice, formatDate } from '../../components/index.js';
import { useAsync, useSubmission } from '../../hooks.js';
import { Link } from '../../router.js';

interface Favorite {
  favoriteId: string;
  type: 'item' | 'policy' | 'guide';
  ref: string;
  savedAt: string;
}

interface Footprint {
  footprintId: string;
  type: 'item' | 'policy' | 'guide' | 'search';
  ref: string;
  at: string;
}

interface Privacy {
  privateSpace: boolean;
  autoDestroyReadMessages: 'off' | '1h' | '24h' | '7d';
  recordFootprints: boolean;
}

const typeLabels: Record<string, string> = { item: '事项', guide: '办事指南', policy: '政策', search: '搜索' };

function refHref(type: string, ref: string): string {
  if (type === 'item' || type === 'guide') return `/items/${encodeURIComponent(ref)}`;
  return `/search?q=${encodeURIComponent(ref)}`;
}

/** Favourite items, policies and guides, each removable. */
export function FavoritesPage() {
  const list = useAsync(() => api.get<{ favorites: Favorite[] }>('/v1/me/favorites'), []);
  const { problem, run } = useSubmission();
  const remove = (favorite: Favorite) =>
    run(async () => {
      await api.del(`/v1/me/favorites/${encodeURIComponent(favorite.favoriteId)}`);
      list.reload();
    });
  return (
    <section class="page">
      <h1>我的收藏</h1>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <Notice kind="error">{errorText(list.error)}</Notice> : null}
      {list.data && !list.data.favorites.length ? <EmptyState title="暂无收藏">在办事指南页点击“收藏”即可加入。</EmptyState> : null}
      <ul class="card-list">
        {(list.data?.favorites ?? []).map((favorite) => (
          <li key={favorite.favoriteId} class="card">
            <Link href={refHref(favorite.type, favorite.ref)}>{favorite.ref}</Link>
            <ul class="meta">
              <li>{typeLabels[favorite.type]}</li>
              <li>收藏于 {formatDate(favorite.savedAt)}</li>
            </ul>
            <Button variant="link" onClick={() => void remove(favorite)} aria-label={`取消收藏 ${favorite.ref}`}>
              取消收藏
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What the caller viewed and searched; one or all can be removed. */
export function FootprintsPage() {
  const list = useAsync(() => api.get<{ footprints: Footprint[] }>('/v1/me/footprints'), []);
  const { problem, run } = useSubmission();
  const remove = (path: string) =>
    run(async () => {
      await api.del(path);
      list.reload();
    });
  return (
    <section class="page">
      <h1>我的足迹</h1>
      <p class="muted">
        可在<Link href="/me/privacy">隐私设置</Link>中关闭足迹记录。
      </p>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <Notice kind="error">{errorText(list.error)}</Notice> : null}
      {list.data && !list.data.footprints.length ? <EmptyState title="暂无足迹" /> : null}
      {list.data?.footprints.length ? (
        <>
          <Button variant="secondary" onClick={() => void remove('/v1/me/footprints')}>
            清空足迹
          </Button>
          <ul class="card-list section">
            {list.data.footprints.map((footprint) => (
              <li key={footprint.footprintId} class="card">
                <Link href={refHref(footprint.type, footprint.ref)}>{footprint.ref}</Link>
                <ul class="meta">
                  <li>{typeLabels[footprint.type]}</li>
                  <li>{formatDate(footprint.at)}</li>
                </ul>
                <Button variant="link" onClick={() => void remove(`/v1/me/footprints/${encodeURIComponent(footprint.footprintId)}`)} aria-label={`删除足迹 ${footprint.ref}`}>
                  删除
                </Button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** Private space, auto-destroy of read messages and recording of footprints. */
export function PrivacyPage() {
  const current = useAsync(() => api.get<Privacy>('/v1/me/privacy'), []);
  const [draft, setDraft] = useState<Privacy | undefined>();
  const [saved, setSaved] = useState(false);
  const { busy, problem, run } = useSubmission();
  const settings = draft ?? current.data;
  const change = (patch: Partial<Privacy>) => {
    setSaved(false);
    if (settings) setDraft({ ...settings, ...patch });
  };
  const save = (event: Event) => {
    event.preventDefault();
    if (!settings) return;
    setSaved(false);
    void run(async () => {
      setDraft(await api.put<Privacy>('/v1/me/privacy', settings));
      setSaved(true);
    });
  };
  return (
    <section class="page narrow">
      <h1>隐私设置</h1>
      {current.loading && !current.data ? <Loading /> : null}
      {current.error ? <Notice kind="error">{errorText(current.error)}</Notice> : null}
      {saved ? <Notice kind="success">隐私设置已保存</Notice> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {settings ? (
        <form onSubmit={save}>
          <label class="check">
            <input type="checkbox" checked={settings.recordFootprints} onChange={(event) => change({ recordFootprints: event.currentTarget.checked })} />
            记录我的浏览和搜索足迹
          </label>
          <label class="check">
            <input type="checkbox" checked={settings.privateSpace} onChange={(event) => change({ privateSpace: event.currentTarget.checked })} />
            开启私密空间
          </label>
          <div class="field">
            <label for="auto-destroy">已读消息自动销毁</label>
            <select id="auto-destroy" value={settings.autoDestroyReadMessages} onChange={(event) => change({ autoDestroyReadMessages: event.currentTarget.value as Privacy['autoDestroyReadMessages'] })}>
              <option value="off">不销毁</option>
              <option value="1h">阅读 1 小时后</option>
              <option value="24h">阅读 24 小时后</option>
              <option value="7d">阅读 7 天后</option>
            </select>
          </div>
          <Button type="submit" busy={busy}>
            保存
          </Button>
        </form>
      ) : null}
    </section>
  );
}
