/**
 * A suit's evidence index (证据目录) as a document model for the PDF renderer: the contract, each piece
 * of evidence with what it proves and the file of the archive that holds it, the mediation record, and
 * the claim's history with the state of its hash chain. Built from data, never parsed as markup, so a
 * name or a reason prints as it was written.
 */
import type { Claim } from '../../db/schema/index.js';
import type { CappedAmounts } from '../../domain/claim-amounts.js';
import { shanghaiDate, shanghaiDateTime } from '../../domain/dates.js';
import type { Block, DocumentModel } from '../../domain/document-text.js';
import type { Stage, Status } from '../../domain/lifecycle.js';
import { formatYuan } from '../../domain/money.js';
import { STAGE_LABELS, STATUS_LABELS } from '../../domain/stage-labels.js';
import { MODE_LABELS } from '../sessions/schemas.js';

export interface EvidenceFile {
  /** The file's name inside the suit's folder of the archive. */
  fileName: string;
  title: string;
  docNo: string;
  issuedOn: string;
  /** How and when service was complete, or null when none is recorded. */
  served: string | null;
}

export interface EvidenceSession {
  id: number;
  mode: keyof typeof MODE_LABELS;
  startedAt: Date | null;
  endedAt: Date | null;
  outcome: string | null;
}

export interface EvidenceEvent {
  seq: number;
  at: Date;
  action: string;
  from: { stage: string; status: string };
  to: { stage: string; status: string };
  actorName: string;
  hash: string;
}

export interface EvidenceIndexInput {
  position: number;
  creditorName: string;
  debtorName: string;
  courtName: string;
  contract: Pick<Claim, 'contractNo' | 'loanDate' | 'dueDate' | 'overdueSince' | keyof CappedAmounts> & {
    claimedFen: number;
  };
  complaint: { fileName: string; docNo: string; verifyCode: string; verifyUrl: string };
  files: EvidenceFile[];
  sessions: EvidenceSession[];
  events: EvidenceEvent[];
  chainValid: boolean;
  madeAt: Date;
  /** Where the platform answers, for the verify page. */
  publicUrl: string;
}

const OUTCOMES: Record<string, string> = { agreed: '达成协议', failed: '调解不成', adjourned: '延期' };
const yuan = (fen: number) => `¥${formatYuan(fen)}`;
const position = (p: { stage: string; status: string }) =>
  `${STAGE_LABELS[p.stage as Stage] ?? p.stage}/${STATUS_LABELS[p.status as Status] ?? p.status}`;
const when = (d: Date | null) => (d ? shanghaiDateTime(d) : '—');

export function evidenceIndexModel(x: EvidenceIndexInput): DocumentModel {
  const c = x.contract;
  const evidence: string[][] = [
    ['1', '借款合同及还款情况（本目录第一部分）', '借贷关系成立、借款金额、期限及欠款数额', '本目录'],
    ...x.files.map((f, i) => [
      String(i + 2),
      `${f.title}（${f.docNo}，${f.issuedOn}）`,
      f.served ? `已向被告送达：${f.served}` : '已出具，未记录送达',
      f.fileName,
    ]),
    [
      String(x.files.length + 2),
      '调解记录（本目录第二部分）',
      x.sessions.length ? '诉前经调解未能解决纠纷' : '无调解会话记录',
      '本目录',
    ],
    [
      String(x.files.length + 3),
      '案件流转记录（本目录第三部分）',
      `共 ${x.events.length} 条，哈希链校验${x.chainValid ? '完整' : '未通过'}`,
      '本目录',
    ],
  ];
  const blocks: Block[] = [
    { type: 'title', text: '证据目录' },
    { type: 'subtitle', text: `原告${x.creditorName}诉被告${x.debtorName}借款合同纠纷` },
    { type: 'to', text: `${x.courtName}：` },
    { type: 'paragraph', text: `本目录随起诉状（${x.complaint.docNo}，文件 ${x.complaint.fileName}）一并提交。` },
    { type: 'heading', text: '证据清单' },
    { type: 'table', header: ['序号', '证据名称', '证明内容', '文件'], rows: evidence },
    { type: 'heading', text: '第一部分 借款合同及还款情况' },
    {
      type: 'table',
      header: ['项目', '内容'],
      rows: [
        ['合同编号', c.contractNo],
        ['借款日期', c.loanDate],
        ['到期日期', c.dueDate],
        ['逾期起始日', c.overdueSince],
        ['欠付本金', yuan(c.principalFen)],
        ['欠付利息', yuan(c.interestFen)],
        ['逾期罚息', yuan(c.penaltyFen)],
        ['费用', yuan(c.feesFen)],
        ['超过法定利率上限部分（不主张）', yuan(c.aboveCapFen)],
        ['诉讼请求金额', yuan(c.claimedFen)],
      ],
    },
    { type: 'heading', text: '第二部分 调解记录' },
    x.sessions.length
      ? {
          type: 'table',
          header: ['会话', '方式', '开始', '结束', '结果'],
          rows: x.sessions.map((s) => [
            `第 ${s.id} 号`,
            MODE_LABELS[s.mode] ?? s.mode,
            when(s.startedAt),
            when(s.endedAt),
            s.outcome ? (OUTCOMES[s.outcome] ?? s.outcome) : '未结束',
          ]),
        }
      : { type: 'paragraph', text: '本案在平台上无调解会话记录。' },
    { type: 'heading', text: '第三部分 案件流转记录（北京时间）' },
    {
      type: 'table',
      header: ['序号', '时间', '事项', '变化', '经办', '哈希'],
      rows: x.events.map((e) => [
        String(e.seq),
        shanghaiDateTime(e.at),
        e.action,
        e.from.stage === e.to.stage && e.from.status === e.to.status
          ? position(e.to)
          : `${position(e.from)} → ${position(e.to)}`,
        e.actorName,
        e.hash.slice(0, 12),
      ]),
    },
    {
      type: 'note',
      text: `各文书可凭其核验码在 ${x.publicUrl}/verify 核验真伪。本目录由平台于 ${shanghaiDate(x.madeAt)} 根据案件记录生成。`,
    },
  ];
  return {
    title: '证据目录',
    docNo: `${x.complaint.docNo} 证据目录`,
    verifyCode: x.complaint.verifyCode,
    verifyUrl: x.complaint.verifyUrl,
    seal: null,
    blocks,
  };
}
