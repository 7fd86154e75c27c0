/** The summary `npm run import` prints for the creditor's staff, in Chinese (issue 15 item 14). */
import { BATCH_STATUSES_ZH, ROW_ISSUES_ZH, SCREENING_OUTCOMES_ZH } from '../src/error-catalogue.js';
import type { BatchView, DryRunReport } from '../src/modules/batches/schemas.js';

const n = (x: number) => x.toLocaleString('zh-CN');
const counts = (entries: Record<string, number>, label: (code: string) => string, none: string) =>
  Object.entries(entries)
    .map(([code, count]) => `${label(code)} ${n(count)}`)
    .join('；') || none;

export function importSummary(b: BatchView | DryRunReport, seconds: number): string {
  return [
    `状态：${BATCH_STATUSES_ZH[b.status] ?? b.status}${'dryRun' in b ? '（试运行：未写入任何数据）' : ''}`,
    `行数：读取 ${n(b.total)}，导入 ${n(b.accepted)}，拒收 ${n(b.rejected)}，此前已导入 ${n(b.skipped)}`,
    `筛查：${counts(b.screening, (c) => SCREENING_OUTCOMES_ZH[c] ?? c, '无')}`,
    `错误：${counts(b.errorsByCode, (c) => `${ROW_ISSUES_ZH[c] ?? c}（${c}）`, '无')}`,
    ...b.warnings.map((w) => `提示：${w}`),
    ...(b.failureDetail ? [`失败原因：${b.failureDetail}`] : []),
    `用时：${seconds.toFixed(1)} 秒`,
  ].join('\n');
}
