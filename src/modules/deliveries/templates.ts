/**
 * What a delivery says: a closed registry of mail templates (name → render function) and the SMS
 * text. Mail and SMS never carry an ID number or amounts; the document itself is the attachment, and
 * the link is the debtor's electronic service receipt.
 */
import { documentTitle, isRegisteredKind } from '../../domain/document-kinds.js';

export interface RenderedMail {
  subject: string;
  text: string;
}

export interface DocumentNotice {
  /** Chinese title of the document kind, e.g. 调解通知书. */
  title: string;
  docNo: string;
  issuer: string;
  debtorName: string;
  link: string;
}

export interface MessageNotice {
  issuer: string;
  debtorName: string;
  text: string;
}

const FOOTER = '（本邮件由系统自动发送，请勿直接回复。）';

export const MAIL_TEMPLATES = {
  /** A document served on the debtor: the PDF is attached. */
  document: (d: DocumentNotice): RenderedMail => ({
    subject: `【${d.issuer}】${d.title}（${d.docNo}）`,
    text: [
      `${d.debtorName}：`,
      '',
      `${d.issuer}向您送达《${d.title}》（文书编号：${d.docNo}），文书全文见本邮件附件（PDF）。`,
      '',
      '请点击以下链接确认查收，并在线查看案件详情、参与调解：',
      d.link,
      '',
      '您打开上述链接的时间将作为电子送达回证记录在案。',
      '',
      d.issuer,
      FOOTER,
    ].join('\n'),
  }),
  /** A plain notification another module queued (a session reminder, an answer to an objection). */
  message: (d: MessageNotice): RenderedMail => ({
    subject: `【${d.issuer}】通知`,
    text: [`${d.debtorName}：`, '', d.text, '', d.issuer, FOOTER].join('\n'),
  }),
} as const satisfies Record<string, (data: never) => RenderedMail>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;

export function renderMail<N extends MailTemplateName>(
  name: N,
  data: Parameters<(typeof MAIL_TEMPLATES)[N]>[0],
): RenderedMail {
  return (MAIL_TEMPLATES[name] as (d: typeof data) => RenderedMail)(data);
}

/** The SMS for a document: title, number and receipt link; no name, amounts or ID number (a phone may be shared). */
export function documentSms(d: Omit<DocumentNotice, 'debtorName'>): string {
  return `【${d.issuer}】您有一份《${d.title}》（编号${d.docNo}）待查收，请点击 ${d.link} 查看。`;
}

/** The Chinese title of a stored document's kind; a kind this version does not know is 法律文书. */
export const titleOfKind = (kind: string): string => (isRegisteredKind(kind) ? documentTitle(kind) : '法律文书');
