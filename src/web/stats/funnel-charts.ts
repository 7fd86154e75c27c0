/** The dashboard's ECharts options, each with the words a screen reader reads in place of the canvas. */
import type { Answer } from '../api/client';
import type { ChartOption } from '../shared/Chart';
import { formatCount, formatFen, formatRate } from '../shared/format';
import { STAGE_LABELS } from '../shared/labels';

type Funnel = Answer<'getStatsFunnel'>;

/**
 * The funnel: claims that reached each stage (all claims start in intake; the others from the moves
 * between stages), widest first, each with the claims and amount there now.
 */
export function funnelOption(f: Funnel): { option: ChartOption; label: string } {
  const data = f.stages
    .filter((s) => s.stage !== 'closed')
    .map((s) => ({
      name: STAGE_LABELS[s.stage],
      value:
        s.stage === 'intake' ? f.claims : f.flows.filter((m) => m.to === s.stage).reduce((n, m) => n + m.claims, 0),
      now: s.claims,
      amount: formatFen(s.claimedFen),
    }))
    .filter((d) => d.value > 0);
  type Item = (typeof data)[number];
  const text = (d: Item) => `${d.name}：到达 ${formatCount(d.value)} 件，现有 ${formatCount(d.now)} 件 ${d.amount}`;
  const closed = f.stages.find((s) => s.stage === 'closed')!;
  return {
    label: `各阶段案件数与金额：${data.map(text).join('；') || '暂无案件'}；已结案 ${formatCount(closed.claims)} 件 ${formatFen(closed.claimedFen)}`,
    option: {
      tooltip: { trigger: 'item', formatter: (p: { data: Item }) => text(p.data) },
      series: [
        {
          type: 'funnel',
          sort: 'descending',
          minSize: '20%',
          left: 8,
          right: 8,
          top: 8,
          bottom: 8,
          label: {
            show: true,
            position: 'inside',
            color: '#fff',
            textBorderColor: 'rgba(0, 0, 0, 0.55)',
            textBorderWidth: 2,
            formatter: (p: { data: Item }) =>
              `${p.data.name} 到达 ${formatCount(p.data.value)} 件\n现有 ${formatCount(p.data.now)} 件 ${p.data.amount}`,
          },
          data,
        },
      ],
    },
  };
}

/** Claims, settlement rate and recovery per snapshot day: the counts on the left axis, the rates on the right. */
export function trendOption(trend: Funnel['trend']): { option: ChartOption; label: string } {
  const last = trend.at(-1);
  return {
    label: last
      ? `每日趋势：${trend.length} 天，${trend[0]!.day} 至 ${last.day}，最近一天案件 ${formatCount(last.claims)} 件，和解率 ${formatRate(last.settlementRateBp)}，回收率 ${formatRate(last.recoveryBp)}`
      : '每日趋势：还没有每日快照（每天零点后生成）',
    option: {
      ...(last
        ? {}
        : { title: { text: '还没有每日快照', left: 'center', top: 'middle', textStyle: { fontSize: 14 } } }),
      tooltip: { trigger: 'axis' },
      legend: { data: ['案件数', '和解率', '回收率'] },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: trend.map((d) => d.day) },
      yAxis: [
        { type: 'value', minInterval: 1, name: '件' },
        { type: 'value', name: '%', axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { name: '案件数', type: 'bar', data: trend.map((d) => d.claims) },
        { name: '和解率', type: 'line', yAxisIndex: 1, data: trend.map((d) => d.settlementRateBp / 100) },
        { name: '回收率', type: 'line', yAxisIndex: 1, data: trend.map((d) => d.recoveryBp / 100) },
      ],
    },
  };
}
