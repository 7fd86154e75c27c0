/**
 * 文书模板 at /admin/templates: the platform's template of each document kind, its versions and the
 * placeholders it may use. The administrator edits the text or loads it from a file, previews a
 * specimen PDF filled with sample data, and saves it as the next version; every problem the server
 * finds is listed with its line, and the text typed stays as it was.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Select, Space, Table, Tag, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { type Answer, ApiError, api, call, postForFile } from '../api/client';
import { problemMessage } from '../api/problem';
import { formatDateTime } from '../shared/format';
import { DOCUMENT_KIND_LABELS } from '../shared/labels';
import { ErrorAlert, PageTitle } from '../shared/ui';

type Template = Answer<'getTemplatesByKind'>;
type Kind = Template['kind'];
const KINDS = (Object.keys(DOCUMENT_KIND_LABELS) as (Kind | 'session_record')[]).filter(
  (k): k is Kind => k !== 'session_record',
);

/** The problems of a refused template, one line each, as the server words them in Chinese. */
function problemsOf(err: unknown): string[] {
  if (!(err instanceof ApiError)) return [];
  return (err.problem?.fields ?? []).map((f) => f.message);
}

function Editor({ template }: { template: Template }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [text, setText] = useState(template.effective.body);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  useEffect(() => setText(template.effective.body), [template.effective.body]);

  const preview = async () => {
    // The tab opens straight from the click, as pop-up blockers require; the PDF follows.
    const tab = window.open('', '_blank');
    setBusy('preview');
    setError(null);
    try {
      const pdf = await postForFile(`/api/templates/${template.kind}/preview`, { body: text });
      const href = URL.createObjectURL(pdf);
      if (tab) tab.location.href = href;
      else window.location.assign(href);
    } catch (err) {
      tab?.close();
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const save = async () => {
    setBusy('save');
    setError(null);
    try {
      const saved = await call(
        api.PUT('/api/templates/{kind}', { params: { path: { kind: template.kind } }, body: { body: text } }),
      );
      void message.success(`已保存为第 ${saved.version} 版，此后出具的${template.title}使用此版本。`);
      void queryClient.invalidateQueries({ queryKey: ['template', template.kind] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const problems = problemsOf(error);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Upload
          accept=".hbs,.txt,text/plain"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then(setText);
            return false;
          }}
        >
          <Button>从文件载入…</Button>
        </Upload>
        <Button onClick={preview} loading={busy === 'preview'} disabled={busy !== null}>
          预览样张
        </Button>
        <Button type="primary" onClick={save} loading={busy === 'save'} disabled={busy !== null}>
          保存为新版本
        </Button>
      </Space>
      {problems.length > 0 ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={problemMessage(error)}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      ) : (
        <ErrorAlert error={error} />
      )}
      <Input.TextArea
        aria-label="模板内容"
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoSize={{ minRows: 16, maxRows: 40 }}
        spellCheck={false}
        style={{ fontFamily: 'monospace' }}
      />
    </Space>
  );
}

export default function TemplatesPage() {
  const [kind, setKind] = useState<Kind>('demand_letter');
  const template = useQuery({
    queryKey: ['template', kind],
    queryFn: () => call(api.GET('/api/templates/{kind}', { params: { path: { kind } } })),
  });
  const t = template.data;
  return (
    <>
      <PageTitle>文书模板</PageTitle>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Space>
          <label htmlFor="template-kind">文书种类</label>
          <Select<Kind>
            id="template-kind"
            value={kind}
            onChange={setKind}
            options={KINDS.map((k) => ({ value: k, label: DOCUMENT_KIND_LABELS[k] }))}
            style={{ width: 220 }}
          />
        </Space>
        <ErrorAlert error={template.error} />
        {t ? (
          <>
            <Card size="small" title={`${t.title}（现行第 ${t.effective.version} 版）`}>
              <Editor key={t.kind} template={t} />
            </Card>
            <Card size="small" title="可用的占位符">
              <Table
                rowKey="path"
                size="small"
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                dataSource={t.placeholders}
                columns={[
                  { title: '占位符', render: (_, p) => <code>{`{{${p.path}}}`}</code> },
                  { title: '含义', dataIndex: 'label' },
                  {
                    title: '',
                    render: (_, p) => (
                      <>
                        {p.required ? <Tag className="tag-processing">必须写明</Tag> : null}
                        {p.mayBeMissing ? <Tag>可能为空，请放在 {'{{#if}}'} 中</Tag> : null}
                      </>
                    ),
                  },
                ]}
              />
            </Card>
            <Card size="small" title="版本">
              <Table
                rowKey="id"
                size="small"
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                dataSource={t.versions}
                columns={[
                  { title: '版本', dataIndex: 'version' },
                  { title: '适用', render: (_, v) => (v.scope === 'platform' ? '平台默认' : '本机构') },
                  { title: '保存时间', render: (_, v) => formatDateTime(v.createdAt) },
                ]}
              />
            </Card>
          </>
        ) : null}
      </Space>
    </>
  );
}
