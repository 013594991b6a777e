const dateTime = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
const dateOnly = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Shanghai' });

/** A moment as Beijing time, `2026-11-27 19:40` (or only the date). */
export function formatDate(value: string | number | Date | undefined | null, options: { time?: boolean } = {}): string {
  if (value === undefined || value === null || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return (options.time === false ? dateOnly : dateTime).format(date).replace(/\//g, '-');
}

/** An amount in yuan from fen or yuan, `¥12.50`. */
export function formatYuan(yuan: number): string {
  return `¥${yuan.toFixed(2)}`;
}

/** File size for people: `1.2 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
