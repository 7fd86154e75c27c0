/**
 * How the pages write money and dates, in one place: amounts are integer fen shown as `¥1,234.56`,
 * calendar dates as `2026-12-06` (or `2026年12月6日`), instants in Shanghai time.
 */

const YUAN = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 123456 fen → `¥1,234.56`. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  return `${sign}¥${YUAN.format(Math.abs(fen) / 100)}`;
}

const SHANGHAI_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const SHANGHAI_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A calendar date (`2026-12-06`) as it is, or an instant as its Shanghai date; empty for none. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return SHANGHAI_DATE.format(new Date(value));
}

/** `2026-12-06` → `2026年12月6日`. */
export function formatLongDate(value: string | null | undefined): string {
  const date = formatDate(value);
  if (!date) return '';
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** An instant as `2026-12-06 14:30` in Shanghai time. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const at = new Date(value);
  return `${SHANGHAI_DATE.format(at)} ${SHANGHAI_TIME.format(at)}`;
}

/** 2350 basis points → `23.50%`. */
export function formatRate(bp: number | null | undefined): string {
  return bp === null || bp === undefined ? '' : `${(bp / 100).toFixed(2)}%`;
}

/** 1234567 → `1,234,567`. */
export function formatCount(n: number): string {
  return n.toLocaleString('zh-CN');
}

/** 1048576 bytes → `1.0 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
