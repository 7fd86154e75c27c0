/**
 * The legal documents the platform issues (issue 4): their titles, who issues each, which are court
 * documents, and which data a template of each kind may and must use.
 *
 * DOMAIN.md §6.1: a notice must never look like a court document unless it is one. Only kinds that
 * are filed with a court may use court wording; a demand letter carries neither court wording nor a
 * seal.
 */

export const DOCUMENT_KINDS = [
  'demand_letter',
  'mediation_notice',
  'litigation_risk_notice',
  'mediation_agreement',
  'judicial_confirmation_application',
  'complaint',
  'enforcement_application',
  'credit_repair_certificate',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const isDocumentKind = (s: string): s is DocumentKind => (DOCUMENT_KINDS as readonly string[]).includes(s);

/**
 * Who issues a kind: the creditor of the claim, or the organisation mediating it (the people's
 * mediation committee, or the court during court pre-litigation mediation).
 */
export type IssuerRole = 'creditor' | 'mediation';

/** Data drawn on beyond the common part (document, issuer, creditor, debtor, claim, amounts). */
export type DataSection = 'mediation' | 'court' | 'portal' | 'settlement' | 'basis';

export interface KindRules {
  title: string;
  /** The kind's word in document numbers, e.g. 催告 in `CRED-A-催告-2026-000001`. */
  numberCode: string;
  issuer: IssuerRole;
  /** Filed with a court (an application or a complaint); only these may be served by public notice. */
  court: boolean;
  /** The issuer's seal is drawn in the signature block. */
  seal: boolean;
  /** May use wording that belongs to courts (传票, 判决书 …): only documents filed with a court. */
  courtWording: boolean;
  /** Shows the debtor's full ID number and address (court filings, agreements); others show the masked number. */
  fullIdentity: boolean;
  sections: readonly DataSection[];
  /**
   * Placeholders every template of the kind must use; a group (e.g. `doc.date`) is satisfied by any
   * of its fields.
   */
  required: readonly string[];
}

// Every document carries its number, issuer, date, verification code and URL, and names the debtor.
const COMMON_REQUIRED = [
  'doc.docNo',
  'doc.verifyCode',
  'doc.verifyUrl',
  'doc.date',
  'issuer.name',
  'debtor.name',
] as const;
const CLAIMED = ['amounts.claimed.yuan', 'amounts.claimed.capitals'] as const;
const SETTLED = ['settlement.total.yuan', 'settlement.total.capitals'] as const;

export const KIND_RULES: Record<DocumentKind, KindRules> = {
  demand_letter: {
    title: '催告函',
    numberCode: '催告',
    issuer: 'creditor',
    court: false,
    seal: false,
    courtWording: false,
    fullIdentity: false,
    sections: ['portal'],
    required: [...COMMON_REQUIRED, 'claim.contractNo', ...CLAIMED],
  },
  mediation_notice: {
    title: '调解通知书',
    numberCode: '调通',
    issuer: 'mediation',
    court: false,
    seal: true,
    courtWording: false,
    fullIdentity: false,
    sections: ['mediation', 'portal'],
    required: [...COMMON_REQUIRED, ...CLAIMED, 'portal.url', 'portal.accessCode'],
  },
  litigation_risk_notice: {
    title: '诉讼风险告知书',
    numberCode: '风告',
    issuer: 'mediation',
    court: false,
    seal: true,
    courtWording: false,
    fullIdentity: false,
    sections: ['mediation', 'portal'],
    required: [...COMMON_REQUIRED, ...CLAIMED],
  },
  mediation_agreement: {
    title: '调解协议书',
    numberCode: '调协',
    issuer: 'mediation',
    court: false,
    seal: true,
    courtWording: false,
    fullIdentity: true,
    sections: ['mediation', 'settlement'],
    required: [...COMMON_REQUIRED, 'creditor.name', 'debtor.idNumber', ...SETTLED, 'instalments', 'contracts'],
  },
  judicial_confirmation_application: {
    title: '司法确认申请书',
    numberCode: '确认',
    issuer: 'creditor',
    court: true,
    seal: true,
    courtWording: true,
    fullIdentity: true,
    sections: ['mediation', 'court', 'settlement'],
    required: [...COMMON_REQUIRED, 'debtor.idNumber', 'court.name', 'mediation.name', ...SETTLED],
  },
  complaint: {
    title: '起诉状',
    numberCode: '诉状',
    issuer: 'creditor',
    court: true,
    seal: true,
    courtWording: true,
    fullIdentity: true,
    sections: ['court'],
    required: [
      ...COMMON_REQUIRED,
      'debtor.idNumber',
      'debtor.address',
      'court.name',
      'claim.contractNo',
      'amounts.principal',
      'amounts.interest',
      'amounts.penalty',
      'amounts.fees',
      'amounts.aboveCap',
      ...CLAIMED,
    ],
  },
  enforcement_application: {
    title: '强制执行申请书',
    numberCode: '执申',
    issuer: 'creditor',
    court: true,
    seal: true,
    courtWording: true,
    fullIdentity: true,
    sections: ['court', 'basis'],
    required: [...COMMON_REQUIRED, 'debtor.idNumber', 'court.name', 'basis.caseNo', ...CLAIMED],
  },
  credit_repair_certificate: {
    title: '信用修复证明',
    numberCode: '修复',
    issuer: 'creditor',
    court: false,
    seal: true,
    courtWording: false,
    fullIdentity: false,
    sections: ['portal'],
    required: [...COMMON_REQUIRED, 'claim.contractNo', ...CLAIMED],
  },
};

/**
 * Records the platform registers as documents (a number, a verification code, the file's hash) but
 * makes from what it stored, not from a template: the session record (调解笔录).
 */
export const RECORD_KINDS = ['session_record'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export const RECORD_RULES: Record<RecordKind, Pick<KindRules, 'title' | 'numberCode'>> = {
  session_record: { title: '调解笔录', numberCode: '笔录' },
};

/** Every kind the document registry holds: the templated kinds and the records. */
export const REGISTERED_KINDS = [...DOCUMENT_KINDS, ...RECORD_KINDS] as const;
export type RegisteredKind = DocumentKind | RecordKind;

export const isRegisteredKind = (s: string): s is RegisteredKind => (REGISTERED_KINDS as readonly string[]).includes(s);

const rulesOf = (kind: RegisteredKind) => (isDocumentKind(kind) ? KIND_RULES[kind] : RECORD_RULES[kind]);

export const documentTitle = (kind: RegisteredKind): string => rulesOf(kind).title;

/** The kind's word in document numbers. */
export const numberCodeOf = (kind: RegisteredKind): string => rulesOf(kind).numberCode;

/**
 * The organisation that issues `kind` for a claim: its creditor, or the organisation mediating it
 * (the court while the claim is in court pre-litigation mediation, else the mediation committee).
 */
export function issuerOrgOf(
  kind: DocumentKind,
  claim: { stage: string; creditorOrgId: number; mediationOrgId: number | null; courtOrgId: number | null },
): number | null {
  if (KIND_RULES[kind].issuer === 'creditor') return claim.creditorOrgId;
  return mediatingOrgOf(claim);
}

/** The organisation mediating a claim: the court in court mediation, else the mediation committee. */
export const mediatingOrgOf = (claim: {
  stage: string;
  mediationOrgId: number | null;
  courtOrgId: number | null;
}): number | null => (claim.stage === 'court_mediation' ? claim.courtOrgId : claim.mediationOrgId);

/** Documents filed with a court; only these may be served by public notice (CPL art. 95). */
/**
 * Kinds that state a whole settlement, so one document serves every claim it covers (issue 15 item 3):
 * the mediation agreement lists each contract with its own amounts, share, waiver and instalments.
 */
export const isSettlementDocument = (kind: DocumentKind): boolean => kind === 'mediation_agreement';

export const isCourtDocument = (kind: string): boolean => isDocumentKind(kind) && KIND_RULES[kind].court;

/**
 * Words that make a notice pass for a court's own act (summons, judgment, ruling, enforcement notice,
 * court seal) or threaten police action: DOMAIN.md §6.1 forbids them to anyone but a court. Mentioning
 * that a creditor may sue in a people's court is lawful and not listed.
 */
export const COURT_WORDING = [
  '传票',
  '判决书',
  '裁定书',
  '执行通知书',
  '法院通知',
  '法院公告',
  '司法文书',
  '法院印',
  '法院专用章',
  '拘传',
  '拘留',
  '逮捕',
  '通缉',
  '公安机关',
] as const;

/** The first court word in `text` and where it starts, or null. */
export function findCourtWording(text: string): { word: string; index: number } | null {
  let best: { word: string; index: number } | null = null;
  for (const word of COURT_WORDING) {
    const index = text.indexOf(word);
    if (index >= 0 && (best === null || index < best.index)) best = { word, index };
  }
  return best;
}
