import { Link } from '../router.js';

/** Previous / next page links; `hrefOf(page)` builds each page's address. */
export function Pagination({ page, pageCount, hrefOf }: { page: number; pageCount: number; hrefOf: (page: number) => string }) {
  if (pageCount <= 1) return null;
  return (
    <nav class="pagination" aria-label="分页">
      {page > 1 ? (
        <Link href={hrefOf(page - 1)} rel="prev">
          上一页
        </Link>
      ) : (
        <span aria-hidden="true" class="pagination-disabled">上一页</span>
      )}
      <span aria-current="page">
        第 {page} / {pageCount} 页
      </span>
      {page < pageCount ? (
        <Link href={hrefOf(page + 1)} rel="next">
          下一页
        </Link>
      ) : (
        <span aria-hidden="true" class="pagination-disabled">下一页</span>
      )}
    </nav>
  );
}
