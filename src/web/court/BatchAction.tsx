/**
 * One lifecycle action over the claims selected in a queue: each claim is sent in turn with the version
 * the list read, the progress shown as it goes, and each claim's result (done, or the server's reason).
 */
import { Button, Form, Input, Progress, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { ApiError, type Claim } from '../api/client';
import { problemMessage } from '../api/problem';
import { type Action, buttonActions, runAction } from '../claims/run-action';
import { actionLabel } from '../shared/labels';

interface Result {
  id: number;
  contractNo: string;
  ok: boolean;
  message: string;
}

export function BatchAction({ selected, onDone }: { selected: Claim[]; onDone: () => void }) {
  const actions = [...new Set(selected.flatMap(buttonActions))].filter((a) => a !== 'place_hold');
  const [action, setAction] = useState<Action | null>(null);
  const [reason, setReason] = useState('');
  const [results, setResults] = useState<Result[]>([]);
  const [running, setRunning] = useState(false);
  // The run's own count: the selection is cleared once it ends.
  const [total, setTotal] = useState(0);
  const chosen = action && actions.includes(action) ? action : null;

  const run = async () => {
    if (!chosen) return;
    setRunning(true);
    setTotal(selected.length);
    const done: Result[] = [];
    setResults([]);
    for (const c of selected) {
      try {
        await runAction(c, chosen, reason.trim() ? { reason: reason.trim() } : {});
        done.push({ id: c.id, contractNo: c.contractNo, ok: true, message: `已${actionLabel(chosen)}` });
      } catch (err) {
        const why = err instanceof ApiError && err.problem?.reason ? `：${err.problem.reason}` : '';
        done.push({ id: c.id, contractNo: c.contractNo, ok: false, message: `${problemMessage(err)}${why}` });
      }
      setResults([...done]);
    }
    setRunning(false);
    onDone();
  };

  const failed = results.filter((r) => !r.ok).length;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form layout="inline">
        <Form.Item label="批量操作" htmlFor="batch-action">
          <Select<Action>
            id="batch-action"
            placeholder={selected.length ? '选择操作' : undefined}
            disabled={selected.length === 0 || running}
            value={chosen ?? undefined}
            onChange={setAction}
            options={actions.map((a) => ({ value: a as Action, label: actionLabel(a) }))}
            style={{ width: 200 }}
          />
        </Form.Item>
        <Form.Item label="说明" htmlFor="batch-reason">
          <Input
            id="batch-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={2000}
            style={{ width: 260 }}
          />
        </Form.Item>
        <Button type="primary" onClick={run} disabled={!chosen || running} loading={running}>
          执行（{selected.length} 件）
        </Button>
      </Form>
      {results.length > 0 || running ? (
        <>
          <Progress
            percent={Math.round((results.length / Math.max(1, total)) * 100)}
            status={running ? 'active' : failed ? 'exception' : 'success'}
            aria-label="批量操作进度"
          />
          <p>
            已处理 {results.length} / {total} 件，成功 {results.length - failed} 件，失败 {failed} 件。
          </p>
          <Table<Result>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={results}
            columns={[
              { title: '合同编号', dataIndex: 'contractNo' },
              { title: '结果', dataIndex: 'message' },
            ]}
          />
        </>
      ) : null}
    </Space>
  );
}
