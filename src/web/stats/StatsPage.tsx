/**
 * 统计 at /stats: what the platform counts today, over the claims this user may see: the batches
 * imported (rows accepted and rejected, screening outcomes) and the objections and hardship requests
 * by outcome. The funnel by stage, recovery and trends come with the statistics routes of issue 17.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic } from 'antd';
import { useMemo } from 'react';
import { api, call } from '../api/client';
import { Chart, type ChartOption } from '../shared/Chart';
import { formatCount } from '../shared/format';
import { OBJECTION_OUTCOME_LABELS, SCREENING_LABELS } from '../shared/labels';
import { ErrorAlert, PageTitle } from '../shared/ui';
import { useMe } from '../shell/session';

type Pair = [label: string, n: number];
const describe = (title: string, pairs: Pair[]) =>
  `${title}：${pairs.map(([l, n]) => `${l} ${formatCount(n)}`).join('，')}`;
const bars = (pairs: Pair[]): ChartOption => ({
  tooltip: {},
  grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
  xAxis: { type: 'value', minInterval: 1 },
  yAxis: { type: 'category', data: pairs.map(([l]) => l), inverse: true },
  series: [{ type: 'bar', data: pairs.map(([, n]) => n), label: { show: true, position: 'right' } }],
});

function BatchStats() {
  const batches = useQuery({ queryKey: ['batches'], queryFn: () => call(api.GET('/api/batches')) });
  const totals = useMemo(() => {
    const sum = { total: 0, accepted: 0, rejected: 0, screening: {} as Record<string, number> };
    for (const b of batches.data ?? []) {
      sum.total += b.total;
      sum.accepted += b.accepted;
      sum.rejected += b.rejected;
      for (const [k, n] of Object.entries(b.screening)) sum.screening[k] = (sum.screening[k] ?? 0) + n;
    }
    const screening: Pair[] = Object.entries(sum.screening).map(([k, n]) => [SCREENING_LABELS[k] ?? k, n]);
    return { ...sum, screening, option: bars(screening) };
  }, [batches.data]);
  return (
    <Card title="批次导入（最近 100 个批次）">
      <ErrorAlert error={batches.error} />
      <Row gutter={16}>
        <Col xs={24} sm={8}>
          <Statistic title="读取行数" value={formatCount(totals.total)} />
        </Col>
        <Col xs={24} sm={8}>
          <Statistic title="已导入案件" value={formatCount(totals.accepted)} />
        </Col>
        <Col xs={24} sm={8}>
          <Statistic title="被拒绝的行" value={formatCount(totals.rejected)} />
        </Col>
      </Row>
      <Chart option={totals.option} label={describe('受理审查结果', totals.screening)} height={200} />
    </Card>
  );
}

function ObjectionStats() {
  const stats = useQuery({ queryKey: ['objection-stats'], queryFn: () => call(api.GET('/api/objections/stats')) });
  const charts = useMemo(() => {
    const o = stats.data?.objections;
    const h = stats.data?.hardship;
    const objections: Pair[] = o
      ? [
          ['待答复', o.open],
          ['超期未答复', o.replyOverdue],
          [OBJECTION_OUTCOME_LABELS.upheld, o.upheld],
          [OBJECTION_OUTCOME_LABELS.partially_upheld, o.partially_upheld],
          [OBJECTION_OUTCOME_LABELS.rejected, o.rejected],
        ]
      : [];
    const hardship: Pair[] = h
      ? [
          ['待审核', h.pending],
          ['已批准', h.granted],
          ['未批准', h.refused],
        ]
      : [];
    return { objections, hardship, objectionChart: bars(objections), hardshipChart: bars(hardship) };
  }, [stats.data]);
  const { objections, hardship, objectionChart, hardshipChart } = charts;
  return (
    <Row gutter={16}>
      <Col xs={24} lg={12}>
        <Card title="债务人异议">
          <ErrorAlert error={stats.error} />
          <Chart option={objectionChart} label={describe('债务人异议', objections)} height={220} />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title="困难救助申请">
          <Chart option={hardshipChart} label={describe('困难救助申请', hardship)} height={220} />
        </Card>
      </Col>
    </Row>
  );
}

export default function StatsPage() {
  const me = useMe();
  return (
    <>
      <PageTitle>统计</PageTitle>
      <div style={{ display: 'grid', gap: 16 }}>
        {me.role === 'creditor' ? <BatchStats /> : null}
        <ObjectionStats />
      </div>
    </>
  );
}
