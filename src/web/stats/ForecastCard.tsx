/** A batch's forecast beside what the batch has done so far (the creditor's own batches only). */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Table } from 'antd';
import { type Answer, api, call } from '../api/client';
import { formatCount, formatFen } from '../shared/format';
import { STAGE_LABELS } from '../shared/labels';
import { ErrorAlert } from '../shared/ui';
import { useMe } from '../shell/session';

type Funnel = Answer<'getStatsFunnel'>;

const BASIS: Record<Answer<'getBatchesByIdForecast'>['basis'], string> = {
  history: '依据本平台同类案件（五级分类与金额区间相同）的历史结果预测。',
  partial_history: '部分案件缺少足够的同类历史，按默认参数预测。',
  defaults: '同类历史案件不足（少于 20 件），本预测采用默认参数，仅供参考。',
};

export function ForecastCard({ batchId, actual }: { batchId: number; actual: Funnel }) {
  const me = useMe();
  const forecast = useQuery({
    queryKey: ['forecast', batchId],
    queryFn: () => call(api.GET('/api/batches/{id}/forecast', { params: { path: { id: batchId } } })),
    enabled: me.role === 'creditor',
  });
  if (me.role !== 'creditor') return null;
  const f = forecast.data;
  const settledAt = (stage: string) => actual.settledByStage.find((s) => s.stage === stage)?.claims ?? 0;
  const rows = f
    ? [
        {
          key: 'settled',
          what: '达成协议案件',
          expected: `${f.expectedSettled} 件`,
          real: `${formatCount(actual.settled)} 件`,
        },
        ...f.stages.map((s) => ({
          key: s.stage,
          what: `${STAGE_LABELS[s.stage]}达成`,
          expected: `${s.expectedSettling} 件（预计用时 ${s.averageDays} 天）`,
          real: `${formatCount(settledAt(s.stage))} 件`,
        })),
        {
          key: 'recovered',
          what: '回收金额',
          expected: `${formatFen(f.expectedRecoveredFen)}（${formatFen(f.recoveredFenLow)} 至 ${formatFen(f.recoveredFenHigh)}）`,
          real: formatFen(actual.recoveredFen),
        },
        { key: 'cycle', what: '平均办结用时', expected: `${f.expectedCycleDays} 天`, real: '—' },
      ]
    : [];
  return (
    <Card title="批次预测与实际">
      <ErrorAlert error={forecast.error} />
      {f ? (
        <Alert
          type={f.basis === 'history' ? 'info' : 'warning'}
          showIcon
          title={BASIS[f.basis]}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Table
        size="small"
        pagination={false}
        loading={forecast.isLoading}
        dataSource={rows}
        columns={[
          { title: '指标', dataIndex: 'what' },
          { title: '预测', dataIndex: 'expected' },
          { title: '实际', dataIndex: 'real' },
        ]}
      />
    </Card>
  );
}
