/**
 * 待办 at /queue, the mediator's workspace: the claims to work soonest deadline first (the people's
 * mediation time limit, an agreement's 30-day confirmation window, a court mediation's limit), one
 * debtor's claims together, and what waits for the mediator's answer: the objections by reply
 * deadline and the hardship requests.
 */
import { Tabs } from 'antd';
import { PageTitle } from '../shared/ui';
import { DeadlineQueue } from './DeadlineQueue';
import { HardshipQueue } from './HardshipQueue';
import { ObjectionQueue } from './ObjectionQueue';

export default function QueuePage() {
  return (
    <>
      <PageTitle>待办</PageTitle>
      <Tabs
        destroyOnHidden
        items={[
          {
            key: 'mediation',
            label: '人民调解（按期限）',
            children: <DeadlineQueue filters={{ stage: 'people_mediation' }} />,
          },
          {
            key: 'agreed',
            label: '已达成协议（司法确认期限）',
            children: <DeadlineQueue filters={{ stage: 'people_mediation', status: 'agreed' }} />,
          },
          {
            key: 'court-mediation',
            label: '诉前调解（按期限）',
            children: <DeadlineQueue filters={{ stage: 'court_mediation' }} />,
          },
          { key: 'objections', label: '待答复的异议', children: <ObjectionQueue /> },
          { key: 'hardship', label: '待审核的救助申请', children: <HardshipQueue /> },
        ]}
      />
    </>
  );
}
