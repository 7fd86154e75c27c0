/**
 * 漏斗看板 at /funnel: the funnel of the claims this user may count (an administrator: every creditor,
 * or one), of one batch if chosen and imported in a period: claims and amounts per stage as an
 * ECharts funnel, settlement rate, recovery, breaches, objections and hardship, days per stage, the
 * moves between stages, the trend from the daily snapshots, the batch's forecast beside what it has
 * done so far, and the figures as CSV or Excel.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Form, Row, Select, Space, Statistic, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { type Answer, api, call } from '../api/client';
import { Chart } from '../shared/Chart';
import { saveFile } from '../shared/files';
import { formatCount, formatFen, formatRate } from '../shared/format';
import { STAGE_LABELS } from '../shared/labels';
import { ErrorAlert, PageTitle } from '../shared/ui';
import { useMe } from '../shell/session';
import { ForecastCard } from './ForecastCard';
import { funnelOption, trendOption } from './funnel-charts';

type Funnel = Answer<'getStatsFunnel'>;
type Query = { creditor?: number; batch?: number; from?: string; to?: string };

const queryString = (q: Query) =>
  new URLSearchParams(Object.entries(q).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))).toString();

function Filters({ funnel, query, onChange }: { funnel?: Funnel; query: Query; onChange(q: Query): void }) {
  const me = useMe();
  const orgs = useQuery({
    queryKey: ['organisations'],
    queryFn: () => call(api.GET('/api/organisations')),
    enabled: me.role === 'admin',
  });
  const creditors = (orgs.data ?? []).filter((o) => o.kind === 'creditor');
  const batches = (funnel?.byBatch ?? []).filter((b) => b.batchId !== null);
  const day = (d: Dayjs | null | undefined) => d?.format('YYYY-MM-DD');
  return (
    <Form layout="inline" style={{ rowGap: 8 }}>
      {me.role === 'admin' ? (
        <Form.Item label="债权人" htmlFor="funnel-creditor">
          <Select
            id="funnel-creditor"
            allowClear
            placeholder="全部债权人"
            style={{ width: 240 }}
            value={query.creditor}
            options={creditors.map((c) => ({ value: c.id, label: c.name }))}
            onChange={(creditor?: number) => onChange({ ...query, creditor, batch: undefined })}
          />
        </Form.Item>
      ) : null}
      <Form.Item label="批次" htmlFor="funnel-batch">
        <Select
          id="funnel-batch"
          allowClear
          placeholder="全部批次"
          style={{ width: 240 }}
          value={query.batch}
          options={batches.map((b) => ({ value: b.batchId!, label: b.reference ?? `批次 ${b.batchId}` }))}
          onChange={(batch?: number) => onChange({ ...query, batch })}
        />
      </Form.Item>
      <Form.Item label="导入日期" htmlFor="funnel-period">
        <DatePicker.RangePicker
          id={{ start: 'funnel-period', end: 'funnel-period-end' }}
          allowEmpty={[true, true]}
          onChange={(range) => onChange({ ...query, from: day(range?.[0]), to: day(range?.[1]) })}
        />
      </Form.Item>
    </Form>
  );
}

function Totals({ f }: { f: Funnel }) {
  const items: [string, string][] = [
    ['案件数', formatCount(f.claims)],
    ['债权金额', formatFen(f.claimedFen)],
    ['已回收金额', formatFen(f.recoveredFen)],
    ['和解率', formatRate(f.settlementRateBp)],
    ['回收率', formatRate(f.recoveryBp)],
    ['违约次数', formatCount(f.breaches)],
    ['待答复异议', formatCount(f.objections.open)],
    ['待审核困难救助', formatCount(f.hardship.pending)],
  ];
  return (
    <Row gutter={[16, 16]}>
      {items.map(([title, value]) => (
        <Col key={title} xs={12} md={6}>
          <Card size="small">
            <Statistic title={title} value={value} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

const days = (d: number | null) => (d === null ? '—' : `${d} 天`);

export default function FunnelPage() {
  const [query, setQuery] = useState<Query>({});
  const funnel = useQuery({
    queryKey: ['funnel', query],
    queryFn: () => call(api.GET('/api/stats/funnel', { params: { query } })),
    placeholderData: (previous) => previous,
  });
  const f = funnel.data;
  const charts = useMemo(() => (f ? { funnel: funnelOption(f), trend: trendOption(f.trend) } : null), [f]);
  const qs = queryString(query);
  return (
    <>
      <PageTitle
        extra={
          <Space>
            <Button onClick={() => void saveFile(`/api/stats/funnel.csv?${qs}`, '漏斗统计.csv')}>导出 CSV</Button>
            <Button onClick={() => void saveFile(`/api/stats/funnel.xlsx?${qs}`, '漏斗统计.xlsx')}>导出 Excel</Button>
          </Space>
        }
      >
        漏斗看板
      </PageTitle>
      <div style={{ display: 'grid', gap: 16 }}>
        <Filters funnel={f} query={query} onChange={setQuery} />
        <ErrorAlert error={funnel.error} />
        {f && charts ? (
          <>
            <Totals f={f} />
            <Row gutter={16}>
              <Col xs={24} lg={12}>
                <Card title="各阶段案件数与金额">
                  <Chart option={charts.funnel.option} label={charts.funnel.label} height={320} />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card title="每日趋势">
                  <Chart option={charts.trend.option} label={charts.trend.label} height={320} />
                </Card>
              </Col>
            </Row>
            {query.batch !== undefined ? <ForecastCard batchId={query.batch} actual={f} /> : null}
            <Row gutter={16}>
              <Col xs={24} lg={12}>
                <Card title="各阶段用时">
                  <Table
                    size="small"
                    pagination={false}
                    rowKey="stage"
                    dataSource={f.cycleTimes}
                    columns={[
                      { title: '阶段', dataIndex: 'stage', render: (s: keyof typeof STAGE_LABELS) => STAGE_LABELS[s] },
                      { title: '已完成案件', dataIndex: 'stays', render: formatCount },
                      { title: '平均用时', dataIndex: 'averageDays', render: days },
                      { title: '中位用时', dataIndex: 'medianDays', render: days },
                    ]}
                  />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card title="阶段流转">
                  <Table
                    size="small"
                    pagination={false}
                    rowKey={(r) => `${r.from}-${r.to}`}
                    dataSource={f.flows}
                    columns={[
                      { title: '从', dataIndex: 'from', render: (s: keyof typeof STAGE_LABELS) => STAGE_LABELS[s] },
                      { title: '到', dataIndex: 'to', render: (s: keyof typeof STAGE_LABELS) => STAGE_LABELS[s] },
                      { title: '案件数', dataIndex: 'claims', render: formatCount },
                    ]}
                  />
                </Card>
              </Col>
            </Row>
          </>
        ) : null}
      </div>
    </>
  );
}
