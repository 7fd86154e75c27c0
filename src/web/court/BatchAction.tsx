/**
 * One lifecycle action over the claims selected in a queue, sent as one job to the server
 * (POST /api/claims/actions): its progress followed on the job's socket, then each claim's result
 * (done, or the server's reason in Chinese). The server decides claim by claim exactly as it would
 * for one, so a claim another clerk changed meanwhile is refused alone with its rule.
 */
import { Button, Form, Input, Progress, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { type Answer, api, type Claim, call, type operations } from '../api/client';
import { buttonActions } from '../claims/run-action';
import { actionLabel } from '../shared/labels';
import { ErrorAlert } from '../shared/ui';

type JobAction = NonNullable<operations['postClaimsActions']['requestBody']>['content']['application/json']['action'];
type Job = Answer<'getClaimsActionsById'>;
type JobSummary = Omit<Job, 'items' | 'nextCursor'>;

interface Result {
  id: number;
  contractNo: string;
  ok: boolean;
  message: string;
}

// Steps a claim's own page files with a court case of its own, not run over a selection.
const NOT_IN_BATCH = ['apply_confirmation', 'refuse_confirmation', 'place_hold'];

/** The job action that runs a button's action on the claim, or null for one the queue cannot batch. */
function jobActionOf(claim: Claim, action: string): JobAction | null {
  if (action === 'confirm') return claim.status === 'confirmation_applied' ? 'grant_confirmation' : null;
  return NOT_IN_BATCH.includes(action) ? null : (action as JobAction);
}

const labelOf = (a: JobAction) => actionLabel(a === 'grant_confirmation' ? 'confirm' : a);

/** Follow the job's counts on its socket until it has finished or the socket is lost. */
function follow(id: number, onJob: (job: JobSummary) => void): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${window.location.origin.replace(/^http/, 'ws')}/ws/claims/actions/${id}`);
    socket.onmessage = (m) => onJob((JSON.parse(String(m.data)) as { job: JobSummary }).job);
    // Finished (1000), or lost (a restart, a lost sign-in): the job's own record says the rest.
    socket.onclose = () => resolve();
  });
}

/** Every item of the finished job, page by page. */
async function itemsOf(id: number): Promise<Job> {
  let job = await call(api.GET('/api/claims/actions/{id}', { params: { path: { id }, query: { limit: 5000 } } }));
  const items = [...job.items];
  while (job.nextCursor) {
    const after = job.nextCursor;
    job = await call(api.GET('/api/claims/actions/{id}', { params: { path: { id }, query: { limit: 5000, after } } }));
    items.push(...job.items);
  }
  return { ...job, items };
}

export function BatchAction({ selected, onDone }: { selected: Claim[]; onDone: () => void }) {
  const actions = [...new Set(selected.flatMap((c) => buttonActions(c).flatMap((a) => jobActionOf(c, a) ?? [])))];
  const [action, setAction] = useState<JobAction | null>(null);
  const [reason, setReason] = useState('');
  const [job, setJob] = useState<JobSummary | null>(null);
  const [results, setResults] = useState<Result[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const chosen = action && actions.includes(action) ? action : null;

  const run = async () => {
    if (!chosen) return;
    const claims = [...selected];
    setRunning(true);
    setError(null);
    setResults([]);
    try {
      const started = await call(
        api.POST('/api/claims/actions', {
          body: {
            action: chosen,
            claimIds: claims.map((c) => c.id),
            clientKey: `web-${crypto.randomUUID()}`,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          },
        }),
      );
      setJob(started);
      await follow(started.id, setJob);
      const ended = await itemsOf(started.id);
      setJob(ended);
      const contractNo = new Map(claims.map((c) => [c.id, c.contractNo]));
      setResults(
        ended.items.map((i) => ({
          id: i.claimId,
          contractNo: contractNo.get(i.claimId) ?? String(i.claimId),
          ok: i.status === 'done',
          message:
            i.status === 'done'
              ? `已${labelOf(chosen)}`
              : i.status === 'pending'
                ? '尚未处理（服务器已停止，请重新执行）'
                : (i.message ?? '未能处理'),
        })),
      );
    } catch (err) {
      setError(err);
    }
    setRunning(false);
    onDone();
  };

  const handled = job ? job.total - job.pending : 0;
  const failed = job ? job.refused + job.notFound : 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form layout="inline">
        <Form.Item label="批量操作" htmlFor="batch-action">
          <Select<JobAction>
            id="batch-action"
            placeholder={selected.length ? '选择操作' : undefined}
            disabled={selected.length === 0 || running}
            value={chosen ?? undefined}
            onChange={setAction}
            options={actions.map((a) => ({ value: a, label: labelOf(a) }))}
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
      <ErrorAlert error={error} />
      {job ? (
        <>
          <Progress
            percent={Math.round((handled / Math.max(1, job.total)) * 100)}
            status={running ? 'active' : failed ? 'exception' : 'success'}
            aria-label="批量操作进度"
          />
          <p>
            已处理 {handled} / {job.total} 件，成功 {job.done} 件，失败 {failed} 件。
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
