/**
 * The session record (调解笔录) as a document model, for the PDF renderer (adapters/pdf) to lay out
 * like any document: the session's particulars, then every frame with its time and author. The
 * blocks are built here, not parsed from template text, so participants' words are printed as they
 * were typed, never read as markup.
 */
import { shanghaiDateTime } from '../../domain/dates.js';
import type { Block, DocumentModel } from '../../domain/document-text.js';
import { formatYuan, rmbCapitals } from '../../domain/money.js';
import type { Printed } from '../documents/register-record.js';
import type { SessionFrame } from './frames.js';
import { MODE_LABELS, type SessionView } from './schemas.js';

const OUTCOME = { agreed: '达成协议', failed: '调解不成', adjourned: '延期' } as const;
const ROLE: Record<string, string> = { mediator: '调解员', creditor: '债权人代表', debtor: '债务人', system: '系统' };

/** A stored instant as Shanghai wall time, or a dash when there is none. */
const shanghaiTime = (iso: string | null) => (iso ? shanghaiDateTime(new Date(iso)) : '—');

const yuan = (fen: unknown) => `人民币${formatYuan(Number(fen))}元（${rmbCapitals(Number(fen))}）`;

interface PlanBody {
  kind: 'lump_sum' | 'instalments';
  totalFen: number;
  claimIds: number[];
  instalments: { dueDate: string; amountFen: number }[];
  note?: string;
  answers?: number;
  needsApproval?: boolean;
}

/** What a frame says, as one line of text. */
export function frameText(f: SessionFrame): string {
  const b = f.body;
  switch (f.type) {
    case 'chat':
      return String(b.text);
    case 'proposal':
    case 'counter': {
      const p = b as unknown as PlanBody;
      const head = f.type === 'counter' ? `针对第${p.answers}号方案提出反方案` : '提出方案';
      const plan =
        p.kind === 'lump_sum'
          ? `一次性付清${yuan(p.totalFen)}，于${p.instalments[0]?.dueDate}前支付`
          : `分${p.instalments.length}期支付${yuan(p.totalFen)}：${p.instalments.map((i, n) => `第${n + 1}期 ${i.dueDate} ${formatYuan(i.amountFen)}元`).join('；')}`;
      return `${head}（涉及案件 ${p.claimIds.join('、')}）：${plan}${p.needsApproval ? '。该方案超出债权人授权范围，须债权人代表批准' : ''}${p.note ? `。说明：${p.note}` : ''}`;
    }
    case 'accept':
      return `接受第${b.proposalSeq}号方案`;
    case 'approve':
      return `批准并接受第${b.proposalSeq}号方案（超出授权范围）`;
    case 'reject':
      return `拒绝第${b.proposalSeq}号方案${b.reason ? `，理由：${b.reason}` : ''}`;
    case 'presence':
      return b.event === 'join' ? '进入调解室' : '离开调解室';
    case 'system':
      switch (b.event) {
        case 'started':
          return '调解开始';
        case 'ended':
          return `调解结束，结果：${OUTCOME[b.outcome as keyof typeof OUTCOME] ?? b.outcome}${b.reason === 'past_end' ? '（超过预定结束时间仍未结束，由系统关闭）' : ''}`;
        case 'agreement':
          return `双方当事人均接受第${b.proposalSeq}号方案，达成调解协议，协议金额${yuan(b.totalFen)}`;
        case 'agreement_documents':
          return `已生成调解协议书：${[...new Set((b.documents as { docNo: string }[]).map((d) => d.docNo))].join('、') || '无'}`;
        default:
          return String(b.event ?? '');
      }
  }
}

/** The record exported at `exportedAt`, with its registered number and verification code in its footer. */
export function transcriptModel(
  session: SessionView,
  frames: readonly SessionFrame[],
  exportedAt: Date,
  printed: Printed,
): DocumentModel {
  const blocks: Block[] = [
    { type: 'title', text: '调解笔录' },
    { type: 'subtitle', text: `第 ${session.id} 号调解会话` },
    {
      type: 'table',
      header: ['项目', '内容'],
      rows: [
        ['调解方式', MODE_LABELS[session.mode]],
        ['调解员', session.mediator.name],
        ['债权人', session.creditor.name],
        ['债务人', session.debtor.name],
        [
          '涉及案件',
          session.claims.map((c) => `${c.contractNo}（可主张金额 ${formatYuan(c.enforceableFen)} 元）`).join('；'),
        ],
        ['预定时间', shanghaiTime(session.scheduledAt)],
        ['开始时间', shanghaiTime(session.startedAt)],
        ['结束时间', shanghaiTime(session.endedAt)],
        ['结果', session.outcome ? OUTCOME[session.outcome] : '尚未结束'],
      ],
    },
    { type: 'heading', text: '记录（时间为北京时间）' },
    {
      type: 'table',
      header: ['序号', '时间', '发言人', '内容'],
      rows: frames.map((f) => [
        String(f.seq),
        shanghaiTime(f.at),
        `${f.from.name}（${ROLE[f.from.role] ?? f.from.role}）`,
        frameText(f),
      ]),
    },
    { type: 'sign', lines: [`调解员：${session.mediator.name}`, `导出时间：${shanghaiDateTime(exportedAt)}`] },
    { type: 'note', text: `本笔录由调解平台根据会话记录自动生成，共 ${frames.length} 条记录。` },
  ];
  return { title: '调解笔录', ...printed, seal: null, blocks };
}
