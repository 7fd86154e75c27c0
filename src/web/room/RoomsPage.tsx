/**
 * 调解室 at /sessions: the sessions you take part in, and their rooms open side by side in tabs, each
 * tab counting the messages that came while it was not shown. The mediator starts a scheduled
 * session from the list. `?open=3,5` opens those rooms (a reload keeps the tabs).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Space, Table, Tabs } from 'antd';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type Answer, api, call } from '../api/client';
import { formatDateTime } from '../shared/format';
import { SESSION_MODE_LABELS, SESSION_STATUS_LABELS } from '../shared/labels';
import { Empty, ErrorAlert, PageTitle } from '../shared/ui';
import { useMe } from '../shell/session';
import { Room } from './Room';

type Session = Answer<'getSessions'>['items'][number];

const LIST = 'list';

interface OpenRoomProps {
  id: number;
  active: boolean;
  onUnread: (id: number, n: number) => void;
  onClose: (id: number) => void;
}

function OpenRoom({ id, active, onUnread, onClose }: OpenRoomProps) {
  const me = useMe();
  const session = useQuery({
    queryKey: ['session', id],
    queryFn: () => call(api.GET('/api/sessions/{id}', { params: { path: { id } } })),
  });
  const report = useCallback((n: number) => onUnread(id, n), [id, onUnread]);
  const close = <Button onClick={() => onClose(id)}>关闭此调解室</Button>;
  if (session.error) return <ErrorAlert error={session.error} action={close} />;
  if (!session.data) return null;
  return (
    <>
      <div style={{ textAlign: 'right' }}>{close}</div>
      <Room session={session.data} me={me} active={active} onUnread={report} />
    </>
  );
}

export default function RoomsPage() {
  const me = useMe();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const open = (params.get('open') ?? '').split(',').filter(Boolean).map(Number);
  const [active, setActive] = useState<string>(open.length ? String(open.at(-1)) : LIST);
  const [unread, setUnread] = useState<Record<number, number>>({});
  const [actionError, setActionError] = useState<unknown>(null);
  const sessions = useQuery({
    queryKey: ['sessions'],
    queryFn: () => call(api.GET('/api/sessions', { params: { query: { limit: 200 } } })),
  });
  const byId = new Map((sessions.data?.items ?? []).map((s) => [s.id, s]));

  const onUnread = useCallback((id: number, n: number) => setUnread((u) => (u[id] === n ? u : { ...u, [id]: n })), []);
  const setOpen = (ids: number[]) => setParams(ids.length ? { open: ids.join(',') } : {}, { replace: true });
  const enter = (id: number) => {
    if (!open.includes(id)) setOpen([...open, id]);
    setActive(String(id));
  };
  const leave = (id: number) => {
    const rest = open.filter((o) => o !== id);
    setOpen(rest);
    if (active === String(id)) setActive(rest.length ? String(rest.at(-1)) : LIST);
  };
  const start = async (id: number) => {
    setActionError(null);
    try {
      await call(api.POST('/api/sessions/{id}/start', { params: { path: { id } } }));
      await queryClient.invalidateQueries({ queryKey: ['sessions'] });
      await queryClient.invalidateQueries({ queryKey: ['session', id] });
      enter(id);
    } catch (err) {
      setActionError(err);
    }
  };

  const list = (
    <>
      <ErrorAlert error={sessions.error ?? actionError} />
      <Table<Session>
        rowKey="id"
        size="small"
        loading={sessions.isPending}
        dataSource={sessions.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty>暂无调解会话</Empty> }}
        columns={[
          { title: '债务人', render: (_, s) => s.debtor.name },
          { title: '债权人', render: (_, s) => s.creditor.name },
          { title: '案件数', render: (_, s) => s.claims.length },
          { title: '方式', render: (_, s) => SESSION_MODE_LABELS[s.mode] },
          { title: '预约时间', render: (_, s) => formatDateTime(s.scheduledAt) },
          { title: '状态', render: (_, s) => SESSION_STATUS_LABELS[s.status] },
          {
            title: '操作',
            render: (_, s) => (
              <Space>
                {s.status === 'scheduled' && me.role === 'mediator' && (
                  <Button size="small" onClick={() => start(s.id)} aria-label={`开始 ${s.debtor.name} 的调解`}>
                    开始调解
                  </Button>
                )}
                {s.status !== 'scheduled' && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => enter(s.id)}
                    aria-label={`进入 ${s.debtor.name} 的调解室`}
                  >
                    进入调解室
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </>
  );

  return (
    <>
      <PageTitle>调解室</PageTitle>
      <Tabs
        type="card"
        activeKey={active}
        onChange={setActive}
        items={[
          { key: LIST, label: '调解会话', children: list },
          ...open.map((id) => ({
            key: String(id),
            label: (
              <Badge count={unread[id] ?? 0} size="small" offset={[8, 0]} title={`${unread[id] ?? 0} 条未读消息`}>
                <span>{byId.get(id)?.debtor.name ?? `会话 ${id}`}</span>
              </Badge>
            ),
            children: <OpenRoom id={id} active={active === String(id)} onUnread={onUnread} onClose={leave} />,
          })),
        ]}
      />
    </>
  );
}
