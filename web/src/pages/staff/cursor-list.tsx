import { useEffect, useState } from 'preact/hooks';
import { Button } from '../../components/index.js';
import { useAsync } from '../../hooks.js';

export interface CursorPage<T> {
  items: T[];
  nextCursor?: string | undefined;
}

export interface CursorList<T> {
  /** every item loaded so far, first page first */
  items: T[];
  /** the first page has arrived (or failed) */
  loaded: boolean;
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => Promise<void>;
}

/** A list the API pages with `nextCursor`: the first page when `deps` change, then more on demand. */
export function useCursorList<T>(load: (cursor: string | undefined) => Promise<CursorPage<T>>, deps: readonly unknown[]): CursorList<T> {
  const first = useAsync(() => load(undefined), deps);
  const [more, setMore] = useState<{ items: T[]; nextCursor?: string | undefined; loading: boolean; error?: unknown }>({ items: [], loading: false });
  useEffect(() => setMore({ items: [], loading: false }), deps);
  const cursor = more.items.length ? more.nextCursor : first.data?.nextCursor;
  const loadMore = async () => {
    if (!cursor) return;
    setMore({ ...more, loading: true, error: undefined });
    try {
      const page = await load(cursor);
      setMore({ items: [...more.items, ...page.items], nextCursor: page.nextCursor, loading: false });
    } catch (error) {
      setMore({ ...more, loading: false, error });
    }
  };
  return {
    items: [...(first.data?.items ?? []), ...more.items],
    loaded: first.data !== undefined || first.error !== undefined,
    loading: first.loading,
    error: first.error ?? more.error,
    hasMore: Boolean(cursor),
    loadingMore: more.loading,
    loadMore,
  };
}

/** The 加载更多 button of a cursor list, shown while the API has more. */
export function LoadMore({ list }: { list: CursorList<unknown> }) {
  if (!list.hasMore) return null;
  return (
    <div class="button-row">
      <Button variant="secondary" busy={list.loadingMore} onClick={list.loadMore}>
        加载更多
      </Button>
    </div>
  );
}
