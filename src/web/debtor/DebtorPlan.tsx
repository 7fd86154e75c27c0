/**
 * The debtor proposes a repayment plan for one claim: the plan suggested from their statement of
 * means (sent as it is with one tap), or one of their own built as the mediator builds one, without
 * the creditor's limits. The answer says where it went: to the creditor, or to the mediator.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type Answer, ApiError, api, call } from '../api/client';
import { frameErrorText } from '../room/frame-errors';
import type { PlanTerms } from '../room/log';
import { ProposalBuilder } from '../room/ProposalBuilder';
import { ErrorAlert, Money } from '../shared/ui';

type Plan = Answer<'getPlans'>[number];

type Claim = Answer<'getDebtorClaimsById'>;

/** Open for a plan: in mediation, not yet agreed or closed, not on hold (the server's offer-basis rule). */
const openForPlan = (c: Claim | undefined) =>
  !!c &&
  ['people_mediation', 'court_mediation'].includes(c.stage) &&
  ['awaiting_contact', 'notified', 'in_session'].includes(c.status) &&
  !c.hold;

const claimId = Number(new URLSearchParams(window.location.search).get('claim'));

const STATUS: Record<Plan['status'], { text: string; className?: string }> = {
  offered: { text: '已提交债权人，等待答复', className: 'tag-processing' },
  referred: { text: '已转交调解员处理', className: 'tag-warning' },
  accepted: { text: '债权人已接受', className: 'tag-success' },
  declined: { text: '债权人未接受', className: 'tag-error' },
};

const SENT: Record<string, string> = {
  offered: '方案已提交给债权人。债权人接受后即达成还款协议，无需另行调解。',
  referred: '方案超出债权人可直接同意的范围，已转交调解员处理，调解员会与您联系。',
};

/** A refusal in words, by its reason where the server gives one. */
function refusalText(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  const reason = (err.problem as { reason?: string } | null)?.reason;
  return reason ? frameErrorText({ code: reason }) : null;
}

function Schedule({ plan }: { plan: Pick<Plan, 'instalments'> }) {
  return (
    <ol className="room-schedule">
      {plan.instalments.map((i, n) => (
        <li key={i.dueDate}>
          第 {n + 1} 期 {i.dueDate} <Money fen={i.amountFen} />
        </li>
      ))}
    </ol>
  );
}

export function DebtorPlan() {
  const queryClient = useQueryClient();
  const [sent, setSent] = useState<Plan | null>(null);
  const [error, setError] = useState<unknown>(null);
  const valid = Number.isSafeInteger(claimId) && claimId > 0;
  const claim = useQuery({
    queryKey: ['debtor-claim', claimId],
    queryFn: () => call(api.GET('/api/debtor/claims/{id}', { params: { path: { id: claimId } } })),
    enabled: valid,
  });
  const open = openForPlan(claim.data);
  const suggestion = useQuery({
    queryKey: ['plan-suggestion', claimId],
    queryFn: () => call(api.GET('/api/debtor/plans/suggestion', { params: { query: { claimIds: String(claimId) } } })),
    enabled: open,
  });
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => call(api.GET('/api/plans', {})), enabled: valid });
  const mine = (plans.data ?? []).filter((p) => p.claimIds.includes(claimId));

  const propose = async (terms: PlanTerms) => {
    setError(null);
    try {
      const plan = await call(api.POST('/api/debtor/plans', { body: { ...terms, claimIds: [claimId] } }));
      setSent(plan);
      await queryClient.invalidateQueries({ queryKey: ['plans'] });
    } catch (err) {
      setError(err);
    }
  };
  const signedOut = claim.error instanceof ApiError && claim.error.status === 401;
  const s = suggestion.data;

  return (
    <main className="debtor-room">
      <Typography.Title level={3}>提出还款方案</Typography.Title>
      <p>
        <a href={`/portal/#/claim/${claimId}`}>返回案件</a>
      </p>
      {!valid && <Alert type="error" showIcon title="链接不完整：请从案件页面进入。" />}
      {signedOut ? (
        <Alert type="warning" showIcon title="请先登录" description={<a href="/portal/#/login">登录</a>} />
      ) : (
        <ErrorAlert error={claim.error} />
      )}
      {claim.data && (
        <p>
          {claim.data.creditorName} · {claim.data.contractNo}，依法可主张金额{' '}
          <Money fen={claim.data.amounts.enforceableFen} />
        </p>
      )}
      {sent && <Alert type="success" showIcon role="status" title={SENT[sent.status] ?? '方案已提交。'} />}
      {error !== null && (
        <Alert type="error" showIcon role="alert" title={refusalText(error) ?? '方案未能提交，请稍后重试。'} />
      )}
      {s && (
        <Card size="small" title="根据您的收支情况建议的方案" style={{ margin: '12px 0' }}>
          {s.plan ? (
            <>
              <div>
                合计 <Money fen={s.plan.totalFen} />
                ，共 {s.plan.instalments.length} 期
              </div>
              <Schedule plan={s.plan} />
              <Button type="primary" onClick={() => propose({ claimIds: [claimId], ...s.plan! })}>
                按建议方案提交
              </Button>
            </>
          ) : s.reason === 'no_statement_of_means' ? (
            <span>
              <a href="/portal/#/means">填写收支情况</a>后，可获得按您还款能力计算的建议方案。
            </span>
          ) : (
            <span>按您的收支情况，难以在债权人可直接同意的范围内还清；您仍可提出自己的方案，将转交调解员处理。</span>
          )}
        </Card>
      )}
      {claim.data && !open && <Alert type="info" showIcon title="本案当前不在调解阶段，不能提出还款方案。" />}
      {open && (
        <ProposalBuilder
          claimIds={[claimId]}
          enforceableFen={claim.data!.amounts.enforceableFen}
          basis={null}
          answers={null}
          disabled={false}
          onSend={(terms) => propose(terms)}
          onCancelCounter={() => undefined}
        />
      )}
      {mine.length > 0 && (
        <List
          header={<strong>我提出的方案</strong>}
          dataSource={mine}
          renderItem={(p) => (
            <List.Item>
              <div>
                <Tag className={STATUS[p.status].className}>{STATUS[p.status].text}</Tag>
                合计 <Money fen={p.totalFen} />
                ，共 {p.instalments.length} 期{p.decisionReason && <div>债权人答复：{p.decisionReason}</div>}
              </div>
            </List.Item>
          )}
        />
      )}
    </main>
  );
}
