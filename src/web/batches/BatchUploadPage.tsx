/**
 * Upload a batch (CSV in UTF-8 or GBK, or XLSX) by drag and drop, with the dry-run and strict options,
 * the mediation organisation, the batch's own reference and its settlement authority (the limits a
 * mediator may agree within), then follow its import live and read its report. The chosen file and
 * options stay when the upload fails (a lost sign-in, a refused file, a field the server refuses,
 * shown beside it), so the user can send it again.
 */
import { InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Collapse, Form, Input, InputNumber, Select, Space, Switch, Upload } from 'antd';
import { useState } from 'react';
import { type Answer, api, call, postForm } from '../api/client';
import { fieldMessages, problemMessage, showFieldErrors } from '../api/problem';
import { formatBytes } from '../shared/format';
import { PageTitle } from '../shared/ui';
import { BatchReport, CountsReport } from './BatchReport';
import type { Batch } from './useBatchProgress';
import { useBatchProgress } from './useBatchProgress';

type Outcome = Answer<'postBatches'>;
type DryRun = Extract<Outcome, { dryRun: true }>;

const ACCEPTED = /\.(csv|xlsx)$/i;

interface Settings {
  mediationOrg?: number;
  reference?: string;
  policy?: {
    maxDiscountPct?: number;
    maxInstalments?: number;
    minFirstPaymentPct?: number;
    litigationAllowed?: boolean;
  };
}
const SETTINGS = ['mediationOrg', 'reference', 'policy'] as const;

/** The policy fields the user set: none means the organisation's own policy applies. */
function policyOf(p: Settings['policy']): string | null {
  const set = Object.fromEntries(Object.entries(p ?? {}).filter(([, v]) => v !== undefined && v !== null));
  return Object.keys(set).length ? JSON.stringify(set) : null;
}

/** A batch followed live until it finishes, then its report. */
export function LiveBatch({ first }: { first: Batch }) {
  const { batch, error } = useBatchProgress(first);
  return (
    <>
      <BatchReport batch={batch} />
      {error ? <p role="alert">{problemMessage(error)}</p> : null}
    </>
  );
}

export default function BatchUploadPage() {
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [options, setOptions] = useState({ dryRun: false, strict: false });
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ batch: Batch } | { dryRun: DryRun } | null>(null);

  const choose = (f: File) => {
    setResult(null);
    if (!ACCEPTED.test(f.name)) {
      setFile(null);
      setFileError(`不能导入“${f.name}”：请选择 CSV（UTF-8 或 GBK 编码）或 XLSX 文件。`);
    } else {
      setFile(f);
      setFileError(null);
    }
    return false; // the page sends the file itself, with its options
  };

  const [settings] = Form.useForm<Settings>();
  const committees = useQuery({
    queryKey: ['organisations'],
    queryFn: () => call(api.GET('/api/organisations')),
    select: (orgs) => orgs.filter((o) => o.kind === 'mediation_committee'),
  });

  const send = async () => {
    if (!file) return setFileError('请先选择要上传的文件。');
    const v = settings.getFieldsValue(true) as Settings;
    setSending(true);
    setFileError(null);
    const form = new FormData();
    if (options.dryRun) form.set('dryRun', 'true');
    if (options.strict) form.set('strict', 'true');
    if (v.mediationOrg) form.set('mediationOrg', String(v.mediationOrg));
    if (v.reference?.trim()) form.set('reference', v.reference.trim());
    const policy = policyOf(v.policy);
    if (policy) form.set('policy', policy);
    // The file goes last: the server reads the fields before the file's stream.
    form.set('file', file);
    try {
      const { data } = await postForm<Outcome>('/api/batches', form);
      setResult('dryRun' in data ? { dryRun: data } : { batch: data });
    } catch (err) {
      const unplaced = showFieldErrors(settings, err, SETTINGS);
      if (unplaced.length > 0 || fieldMessages(err).size === 0) setFileError(problemMessage(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <PageTitle>上传批次</PageTitle>
      <Card>
        <Form layout="vertical">
          <Form.Item
            label="批次文件"
            validateStatus={fileError ? 'error' : undefined}
            help={fileError ? <span role="alert">{fileError}</span> : undefined}
          >
            <Upload.Dragger
              accept=".csv,.xlsx"
              multiple={false}
              showUploadList={false}
              beforeUpload={choose}
              aria-label="选择或拖入批次文件"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p>
                {file ? `${file.name}（${formatBytes(file.size)}）` : '将 CSV 或 XLSX 文件拖到此处，或点击选择文件'}
              </p>
            </Upload.Dragger>
          </Form.Item>
          <Form.Item>
            <Checkbox checked={options.dryRun} onChange={(e) => setOptions({ ...options, dryRun: e.target.checked })}>
              试运行（只校验，不导入）
            </Checkbox>
            <Checkbox checked={options.strict} onChange={(e) => setOptions({ ...options, strict: e.target.checked })}>
              严格模式（有任何错误行则整批不导入）
            </Checkbox>
          </Form.Item>
        </Form>
        <Form form={settings} name="batch-settings" layout="vertical">
          <Space wrap align="start">
            <Form.Item name="mediationOrg" label="调解组织（不选则由平台分配）">
              <Select
                allowClear
                style={{ width: 280 }}
                loading={committees.isLoading}
                options={(committees.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
              />
            </Form.Item>
            <Form.Item name="reference" label="批次参考号（同一参考号重复上传不会重复导入）">
              <Input maxLength={64} style={{ width: 280 }} />
            </Form.Item>
          </Space>
          <Collapse
            size="small"
            items={[
              {
                key: 'policy',
                label: '本批次调解授权（不填则按本机构的默认授权）',
                forceRender: true,
                children: (
                  <Space wrap align="start">
                    <Form.Item name={['policy', 'maxDiscountPct']} label="最大减免比例（%）">
                      <InputNumber min={0} max={100} precision={0} style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item name={['policy', 'maxInstalments']} label="最多分期数">
                      <InputNumber min={1} max={120} precision={0} style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item name={['policy', 'minFirstPaymentPct']} label="首期最低比例（%）">
                      <InputNumber min={0} max={100} precision={0} style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item name={['policy', 'litigationAllowed']} label="调解不成可起诉" valuePropName="checked">
                      <Switch />
                    </Form.Item>
                  </Space>
                ),
              },
            ]}
          />
        </Form>
        <Button type="primary" onClick={send} loading={sending} disabled={!file} style={{ marginTop: 16 }}>
          上传
        </Button>
      </Card>
      {result ? (
        <Card style={{ marginTop: 16 }} title={'dryRun' in result ? '试运行结果' : '导入进度'}>
          {'dryRun' in result ? <CountsReport report={result.dryRun} /> : <LiveBatch first={result.batch} />}
        </Card>
      ) : null}
    </>
  );
}
