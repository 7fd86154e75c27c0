/**
 * 待办 at /queue: what waits for the mediator's answer, the objections by reply deadline and the
 * hardship requests. Claims to work are in 案件; each opens its actions from there.
 */
import { Tabs } from 'antd';
import { PageTitle } from '../shared/ui';
import { HardshipQueue } from './HardshipQueue';
import { ObjectionQueue } from './ObjectionQueue';

export default function QueuePage() {
  return (
    <>
      <PageTitle>待办</PageTitle>
      <Tabs
        items={[
          { key: 'objections', label: '待答复的异议', children: <ObjectionQueue /> },
          { key: 'hardship', label: '待审核的救助申请', children: <HardshipQueue /> },
        ]}
      />
    </>
  );
}
