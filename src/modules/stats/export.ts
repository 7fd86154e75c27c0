/**
 * The funnel statistics as tables with Chinese headers, written as CSV (UTF-8 with BOM, so Excel on
 * Chinese Windows opens it right; the tables one after another) or as an XLSX workbook with a sheet
 * per table (exceljs). Money is in yuan with two decimals, rates in per cent.
 */
import ExcelJS from 'exceljs';
import type { Totals } from '../../domain/funnel-stats.js';
import type { Stage, Status } from '../../domain/lifecycle.js';
import { STAGE_LABELS, STATUS_LABELS } from '../../domain/stage-labels.js';
import { csvField } from '../common/row-errors-csv.js';
import type { FunnelStatistics } from './funnel.js';

type Cell = string | number;
interface Table {
  name: string;
  header: string[];
  rows: Cell[][];
}

const yuan = (fen: number) => fen / 100;
const percent = (bp: number) => bp / 100;
const stageName = (s: string) => STAGE_LABELS[s as Stage] ?? s;
const statusName = (s: string) => STATUS_LABELS[s as Status] ?? s;

const TOTAL_HEADER = [
  '案件数',
  '债权金额（元）',
  '已回收金额（元）',
  '达成协议案件数',
  '违约次数',
  '和解率（%）',
  '回收率（%）',
];
const totalCells = (t: Totals): Cell[] => [
  t.claims,
  yuan(t.claimedFen),
  yuan(t.recoveredFen),
  t.settled,
  t.breaches,
  percent(t.settlementRateBp),
  percent(t.recoveryBp),
];

export function funnelTables(s: FunnelStatistics): Table[] {
  return [
    { name: '汇总', header: TOTAL_HEADER, rows: [totalCells(s)] },
    {
      name: '各阶段案件',
      header: ['阶段', '状态', '案件数', '债权金额（元）'],
      rows: s.stages.flatMap((st) =>
        st.statuses.map((x) => [stageName(st.stage), statusName(x.status), x.claims, yuan(x.claimedFen)]),
      ),
    },
    {
      name: '阶段流转',
      header: ['从', '到', '案件数'],
      rows: s.flows.map((f) => [stageName(f.from), stageName(f.to), f.claims]),
    },
    {
      name: '各阶段用时',
      header: ['阶段', '已完成案件数', '平均天数', '中位天数'],
      rows: s.cycleTimes.map((c) => [stageName(c.stage), c.stays, c.averageDays ?? '', c.medianDays ?? '']),
    },
    {
      name: '按债权人',
      header: ['债权人', ...TOTAL_HEADER],
      rows: s.byCreditor.map((g) => [g.name ?? `#${g.creditorOrgId}`, ...totalCells(g)]),
    },
    {
      name: '按批次',
      header: ['批次', ...TOTAL_HEADER],
      rows: s.byBatch.map((g) => [g.reference ?? (g.batchId ? `#${g.batchId}` : '（无批次）'), ...totalCells(g)]),
    },
    {
      name: '按调解组织',
      header: ['调解组织', ...TOTAL_HEADER],
      rows: s.byMediationOrg.map((g) => [g.name ?? '（未分配）', ...totalCells(g)]),
    },
    {
      name: '异议与困难救助',
      header: ['项目', '数量'],
      rows: [
        ['异议：待答复', s.objections.open],
        ['异议：成立', s.objections.upheld],
        ['异议：部分成立', s.objections.partially_upheld],
        ['异议：不成立', s.objections.rejected],
        ['困难救助：待审核', s.hardship.pending],
        ['困难救助：已批准', s.hardship.granted],
        ['困难救助：未批准', s.hardship.refused],
      ],
    },
    {
      name: '每日趋势',
      header: ['日期', ...TOTAL_HEADER],
      rows: s.trend.map((d) => [d.day, ...totalCells(d)]),
    },
  ];
}

export function funnelCsv(s: FunnelStatistics): Buffer {
  const lines = funnelTables(s).flatMap((t) => [
    csvField(t.name),
    t.header.map(csvField).join(','),
    ...t.rows.map((r) => r.map((c) => (typeof c === 'number' ? String(c) : csvField(c))).join(',')),
    '',
  ]);
  return Buffer.from(`\ufeff${lines.join('\r\n')}`, 'utf8');
}

export async function funnelXlsx(s: FunnelStatistics): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const t of funnelTables(s)) {
    const sheet = workbook.addWorksheet(t.name);
    sheet.addRow(t.header).font = { bold: true };
    for (const r of t.rows) sheet.addRow(r);
    sheet.columns.forEach((c) => {
      c.width = 16;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
