/**
 * The proposals made in the room, newest first, each with every party's answer (待答复, 已接受,
 * 已批准, 已拒绝), whether it needs the creditor's approval, was superseded or agreed; the parties
 * answer the open one here or counter it.
 */
import { Button, Card, Space, Tag, Typography } from 'antd';
import { Money } from '../shared/ui';
import { PARTY_LABELS } from './Chat';
import type { Answer, Offer } from './log';

const ANSWER_LABELS: Record<Answer, { text: string; className: string }> = {
  accept: { text: '已接受', className: 'tag-success' },
  approve: { text: '已批准', className: 'tag-success' },
  reject: { text: '已拒绝', className: 'tag-error' },
};

function PartyState({ party, answer }: { party: 'debtor' | 'creditor'; answer: Answer | undefined }) {
  const label = answer ? ANSWER_LABELS[answer] : { text: '待答复', className: undefined };
  return (
    <Tag className={label.className}>
      {PARTY_LABELS[party]}：{label.text}
    </Tag>
  );
}

export interface OffersProps {
  offers: Offer[];
  /** The viewer's role in the room: the parties answer, the mediator proposes. */
  role: string;
  onAnswer: (type: Answer, proposalSeq: number) => void;
  onCounter: (proposalSeq: number) => void;
  disabled: boolean;
}

export function Offers({ offers, role, onAnswer, onCounter, disabled }: OffersProps) {
  if (offers.length === 0) return <Typography.Text type="secondary">尚未提出方案</Typography.Text>;
  const party = role === 'debtor' || role === 'creditor' ? role : null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} aria-label="方案">
      {[...offers].reverse().map((o) => {
        const open = !o.superseded && !o.agreed;
        const mine = party ? o.answers[party] : undefined;
        // The creditor takes a proposal outside the limits by approving it; a plain accept is refused.
        const take: Answer = party === 'creditor' && o.needsApproval ? 'approve' : 'accept';
        return (
          <Card
            key={o.seq}
            size="small"
            title={`${o.type === 'counter' ? '还价' : '方案'} #${o.seq}`}
            aria-label={`方案 #${o.seq}`}
            extra={
              <Space size={4} wrap>
                {o.agreed && <Tag className="tag-success">已达成一致</Tag>}
                {o.superseded && <Tag>已被新方案取代</Tag>}
                {o.needsApproval && <Tag className="tag-warning">超出授权，需债权人批准</Tag>}
              </Space>
            }
          >
            <div>
              {PARTY_LABELS[o.from.role] ?? o.from.role} {o.from.name} 提出：
              {o.terms.kind === 'lump_sum' ? '一次性还款' : `分 ${o.terms.instalments.length} 期还款`}，合计{' '}
              <Money fen={o.terms.totalFen} />
            </div>
            <ol className="room-schedule">
              {o.terms.instalments.map((i, n) => (
                <li key={i.dueDate}>
                  第 {n + 1} 期 {i.dueDate} <Money fen={i.amountFen} />
                </li>
              ))}
            </ol>
            {o.terms.note && <Typography.Paragraph type="secondary">{o.terms.note}</Typography.Paragraph>}
            <Space size={4} wrap>
              <PartyState party="debtor" answer={o.answers.debtor} />
              <PartyState party="creditor" answer={o.answers.creditor} />
            </Space>
            {party && open && (
              <Space wrap style={{ marginTop: 8 }}>
                <Button type="primary" disabled={disabled || mine === take} onClick={() => onAnswer(take, o.seq)}>
                  {take === 'approve' ? '批准' : '接受'}
                </Button>
                <Button danger disabled={disabled || mine === 'reject'} onClick={() => onAnswer('reject', o.seq)}>
                  拒绝
                </Button>
                <Button disabled={disabled} onClick={() => onCounter(o.seq)}>
                  还价
                </Button>
              </Space>
            )}
          </Card>
        );
      })}
    </Space>
  );
}
