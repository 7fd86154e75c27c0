/**
 * 系统状态 at /admin/health: the server's health (database, version, the fonts documents fall back
 * to), the holiday calendar's loaded years and the open deadlines in years not loaded, and every
 * scheduled job with its last run, items and errors, with "run now".
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Space, Table, Tag } from 'antd';
import { type Answer, api, call } from '../api/client';
import { problemMessage } from '../api/problem';
import { formatDateTime } from '../shared/format';
import { ErrorAlert, PageTitle } from '../shared/ui';

type Job = Answer<'getAdminJobs'>[number];
type Run = NonNullable<Job['lastRun']>;

// The tag classes of app.css, whose colours keep their contrast.
const RUN_LABELS: Record<Run['status'], { text: string; tag: string }> = {
  running: { text: '运行中', tag: 'tag-processing' },
  ok: { text: '正常', tag: 'tag-success' },
  partial: { text: '部分失败', tag: 'tag-warning' },
  failed: { text: '失败', tag: 'tag-error' },
  abandoned: { text: '中断（已交下次运行）', tag: 'tag-warning' },
};

function Jobs() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const jobs = useQuery({
    queryKey: ['admin-jobs'],
    queryFn: () => call(api.GET('/api/admin/jobs')),
    refetchInterval: 5000,
  });
  const runNow = async (name: string) => {
    try {
      await call(api.POST('/api/admin/jobs/{name}/run', { params: { path: { name } } }));
      void message.success(`已开始运行 ${name}。`);
      void queryClient.invalidateQueries({ queryKey: ['admin-jobs'] });
    } catch (err) {
      void message.error(problemMessage(err));
    }
  };
  return (
    <>
      <ErrorAlert error={jobs.error} />
      <Table<Job>
        rowKey="name"
        size="small"
        loading={jobs.isLoading}
        pagination={false}
        dataSource={jobs.data ?? []}
        scroll={{ x: 'max-content' }}
        expandable={{
          rowExpandable: (j) => j.errors.length > 0,
          expandedRowRender: (j) => (
            <ul style={{ margin: 0 }}>
              {j.errors.map((e) => (
                <li key={`${e.item}-${e.due}`}>
                  {e.item}（第 {e.attempts} 次，{formatDateTime(e.at)}）：{e.error}
                </li>
              ))}
            </ul>
          ),
        }}
        columns={[
          { title: '任务', render: (_, j) => <code>{j.name}</code> },
          { title: '计划', dataIndex: 'schedule' },
          {
            title: '上次运行',
            render: (_, j) =>
              j.lastRun ? (
                <>
                  <Tag className={RUN_LABELS[j.lastRun.status].tag}>{RUN_LABELS[j.lastRun.status].text}</Tag>
                  {formatDateTime(j.lastRun.startedAt)}
                </>
              ) : (
                '尚未运行'
              ),
          },
          {
            title: '用时',
            align: 'right',
            render: (_, j) => (j.lastRun?.durationMs == null ? '' : `${(j.lastRun.durationMs / 1000).toFixed(1)} 秒`),
          },
          { title: '30 天内完成', align: 'right', dataIndex: 'itemsDone' },
          {
            title: '待重试',
            align: 'right',
            render: (_, j) => (j.failedItems ? <Tag className="tag-error">{j.failedItems}</Tag> : 0),
          },
          {
            title: '操作',
            render: (_, j) => (
              <Button size="small" disabled={j.running} onClick={() => runNow(j.name)}>
                {j.running ? '运行中…' : '立即运行'}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}

export default function HealthPage() {
  const health = useQuery({ queryKey: ['health'], queryFn: () => call(api.GET('/health')) });
  const calendar = useQuery({ queryKey: ['calendar-years'], queryFn: () => call(api.GET('/api/calendar/years')) });
  const h = health.data;
  const unloaded = calendar.data?.unloadedDeadlineYears ?? [];
  return (
    <>
      <PageTitle>系统状态</PageTitle>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <ErrorAlert error={health.error ?? calendar.error} />
        {h ? (
          <Card size="small" title="服务">
            <Descriptions size="small" column={1}>
              <Descriptions.Item label="状态">{h.status === 'ok' ? '正常' : h.status}</Descriptions.Item>
              <Descriptions.Item label="数据库">{h.database === 'ok' ? '正常' : h.database}</Descriptions.Item>
              <Descriptions.Item label="版本">{h.version}</Descriptions.Item>
              <Descriptions.Item label="文书字体">{h.fonts.chain.join(' → ')}</Descriptions.Item>
              <Descriptions.Item label="生僻字后备字体">
                {h.fonts.extended
                  ? `${h.fonts.extended.file}（${h.fonts.extended.source === 'setting' ? '配置指定' : '系统字体'}）`
                  : '未安装：扩展 B 区及以后的字无法打印，含此类字的文书会单独失败'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        ) : null}
        <Card size="small" title="节假日安排">
          <p>已载入年份：{(calendar.data?.loadedYears ?? []).map((y) => `${y.year}年`).join('、') || '无'}</p>
          {unloaded.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              title="以下年份尚未载入国务院节假日安排，期限暂按法定节假日计算："
              description={unloaded.map((u) => `${u.year}年（${u.deadlines} 个未到期期限）`).join('、')}
            />
          ) : null}
        </Card>
        <Card size="small" title="定时任务">
          <Jobs />
        </Card>
      </Space>
    </>
  );
}
