/**
 * 案件详情 at /claims/:id: the claim as the server shows it to this role (personal data masked), the
 * actions it lists as buttons, and its timeline, documents, deliveries, objections, court cases and payments.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Space, Tabs, Tag } from 'antd';
import { Link, useParams } from 'react-router';
import { api, type Claim, call } from '../api/client';
import { formatDate, formatRate } from '../shared/format';
import { GUARANTEE_LABELS, HOLD_LABELS, LOAN_CLASS_LABELS, STAGE_LABELS, STATUS_LABELS } from '../shared/labels';
import { ErrorAlert, Money, PageTitle } from '../shared/ui';
import { ClaimActions } from './ClaimActions';
import { ClaimDeliveries, ClaimDocuments, ClaimObjections } from './ClaimPapers';
import { ClaimCourtCases, ClaimCreditRecords, ClaimPayments, ClaimRateTransition } from './ClaimRecords';
import { ClaimTimeline } from './ClaimTimeline';

const AMOUNTS = [
  ['欠款本金', 'principalFen'],
  ['利息', 'interestFen'],
  ['罚息', 'penaltyFen'],
  ['其他费用', 'feesFen'],
  ['合计', 'totalFen'],
] as const;

function ClaimSummary({ claim }: { claim: Claim }) {
  const a = claim.amounts;
  return (
    <Descriptions bordered size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
      <Descriptions.Item label="借款人">{claim.debtor.name}</Descriptions.Item>
      <Descriptions.Item label="身份证号">{claim.debtor.idNumberMasked}</Descriptions.Item>
      <Descriptions.Item label="手机号">{claim.debtor.phoneMasked ?? '无'}</Descriptions.Item>
      <Descriptions.Item label="债权人">{claim.creditor.name}</Descriptions.Item>
      <Descriptions.Item label="批次">
        {claim.batchId ? <Link to={`/claims?batchId=${claim.batchId}`}>{claim.batchId}</Link> : '无'}
      </Descriptions.Item>
      <Descriptions.Item label="阶段">
        <Space size={4} wrap>
          {STAGE_LABELS[claim.stage]}·{STATUS_LABELS[claim.status]}
          {claim.hold ? <Tag className="tag-warning">{HOLD_LABELS[claim.hold]}</Tag> : null}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label="借款日期">{formatDate(claim.loanDate)}</Descriptions.Item>
      <Descriptions.Item label="到期日期">{formatDate(claim.dueDate)}</Descriptions.Item>
      <Descriptions.Item label="本阶段期限">{formatDate(claim.stageDeadline) || '无'}</Descriptions.Item>
      {AMOUNTS.map(([label, key]) => (
        <Descriptions.Item key={key} label={label}>
          <Money fen={a[key]} />
        </Descriptions.Item>
      ))}
      <Descriptions.Item label="超出法定利率上限部分">
        {a.aboveCapFen > 0 ? (
          <Tag className="tag-error">
            <Money fen={a.aboveCapFen} /> 不受法律保护
          </Tag>
        ) : (
          '无'
        )}
      </Descriptions.Item>
      <Descriptions.Item label="年化利率">{formatRate(claim.annualRateBp) || '未提供'}</Descriptions.Item>
      <Descriptions.Item label="逾期天数">{claim.overdueDays}</Descriptions.Item>
      <Descriptions.Item label="担保方式">{GUARANTEE_LABELS[claim.guarantee]}</Descriptions.Item>
      <Descriptions.Item label="五级分类">
        {claim.loanClass ? LOAN_CLASS_LABELS[claim.loanClass] : '未分类'}
      </Descriptions.Item>
    </Descriptions>
  );
}

export default function ClaimDetailPage() {
  const id = Number(useParams().id);
  const claim = useQuery({
    queryKey: ['claim', id],
    queryFn: () => call(api.GET('/api/claims/{id}', { params: { path: { id } } })),
  });
  if (!claim.data) return <ErrorAlert error={claim.error} />;
  const c = claim.data;
  return (
    <>
      <PageTitle extra={<Link to="/claims">返回案件列表</Link>}>案件 {c.contractNo}</PageTitle>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <ErrorAlert error={claim.error} />
        <ClaimSummary claim={c} />
        {c.rateTransition ? (
          <Card size="small" title="利率上限分段计算">
            <ClaimRateTransition transition={c.rateTransition} />
          </Card>
        ) : null}
        <Card size="small" title="可执行的操作">
          <ClaimActions claim={c} />
        </Card>
        <Tabs
          items={[
            { key: 'timeline', label: '案件记录', children: <ClaimTimeline claimId={id} /> },
            { key: 'documents', label: '文书', children: <ClaimDocuments claimId={id} /> },
            { key: 'deliveries', label: '送达', children: <ClaimDeliveries claimId={id} /> },
            { key: 'objections', label: '异议', children: <ClaimObjections claimId={id} /> },
            { key: 'court', label: '法院案件', children: <ClaimCourtCases claimId={id} cases={c.courtCases} /> },
            {
              key: 'credit',
              label: '执行与信用',
              children: <ClaimCreditRecords claimId={id} records={c.creditRecords} />,
            },
            { key: 'payments', label: '还款', children: <ClaimPayments payments={c.payments} /> },
          ]}
        />
      </Space>
    </>
  );
}
