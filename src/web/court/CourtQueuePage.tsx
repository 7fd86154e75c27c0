/**
 * 法院待办 at /court: the clerk's queues (confirmations to decide, court mediations, filings, judgments
 * awaiting performance, enforcement, repair requests), each soonest deadline first and filterable by
 * batch, class and name or contract, with one action run over a selection.
 */
import { Tabs } from 'antd';
import { DeadlineQueue, type QueueFilters } from '../queue/DeadlineQueue';
import { PageTitle } from '../shared/ui';

const QUEUES: { key: string; label: string; filters: QueueFilters }[] = [
  { key: 'confirm', label: '待司法确认', filters: { status: 'confirmation_applied' } },
  { key: 'court-mediation', label: '诉前调解', filters: { stage: 'court_mediation' } },
  { key: 'filed', label: '已立案待判决', filters: { stage: 'litigation', status: 'filed' } },
  { key: 'performance', label: '判决履行期', filters: { stage: 'litigation', status: 'judged' } },
  { key: 'enforcement', label: '强制执行', filters: { stage: 'enforcement' } },
  { key: 'repair', label: '信用修复', filters: { stage: 'credit_repair' } },
];

export default function CourtQueuePage() {
  return (
    <>
      <PageTitle>法院待办</PageTitle>
      <Tabs
        destroyOnHidden
        items={QUEUES.map((q) => ({ key: q.key, label: q.label, children: <DeadlineQueue filters={q.filters} /> }))}
      />
    </>
  );
}
