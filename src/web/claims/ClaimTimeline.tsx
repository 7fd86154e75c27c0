/** The claim's evidence log, oldest first, and the hash chain's verdict over it. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Space, Timeline } from 'antd';
import { api, call } from '../api/client';
import { formatCount, formatDateTime } from '../shared/format';
import { ACTOR_KIND_LABELS, actionLabel, STAGE_LABELS, STATUS_LABELS } from '../shared/labels';
import { ErrorAlert } from '../shared/ui';

type Place = { stage: string; status: string };
const placeOf = (p: Place) =>
  `${STAGE_LABELS[p.stage as keyof typeof STAGE_LABELS] ?? p.stage}·${STATUS_LABELS[p.status as keyof typeof STATUS_LABELS] ?? p.status}`;

export function ClaimTimeline({ claimId }: { claimId: number }) {
  const log = useQuery({
    queryKey: ['claim-events', claimId],
    queryFn: () => call(api.GET('/api/claims/{id}/events', { params: { path: { id: claimId } } })),
  });
  if (log.error) return <ErrorAlert error={log.error} />;
  if (!log.data) return null;
  const { events, chain } = log.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {chain.valid ? (
        <Alert type="success" showIcon title={`证据链完整：${formatCount(events.length)} 条记录的哈希链校验通过。`} />
      ) : (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={`证据链在第 ${chain.brokenAtSeq ?? '?'} 条记录处校验失败，记录可能被篡改，请联系平台管理员。`}
          description={chain.detail}
        />
      )}
      <Timeline
        items={events.map((e) => ({
          key: e.seq,
          content: (
            <div>
              <strong>{actionLabel(e.action)}</strong>
              <span className="muted">
                {' '}
                {formatDateTime(e.at)} · {ACTOR_KIND_LABELS[e.actor.kind] ?? e.actor.kind} {e.actor.name}
              </span>
              <div>
                {placeOf(e.from)} → {placeOf(e.to)}
              </div>
              {e.reason ? <div>说明：{e.reason}</div> : null}
            </div>
          ),
        }))}
      />
    </Space>
  );
}
