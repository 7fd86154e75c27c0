/**
 * When each document kind may be issued (issue 15 item 1): a document states facts, so it may only be
 * made while they are true. One row per kind: the positions of the claim, the facts that must exist
 * and who issues it. The table as text is committed in `__snapshots__/document-issuance-table.txt`.
 */
import { compareDates } from './dates.js';
import { judicialConfirmationDeadline } from './deadlines.js';
import { DOCUMENT_KINDS, type DocumentKind, KIND_RULES } from './document-kinds.js';
import type { HolidayCalendar } from './holiday-calendar.js';
import { type Position, STATUSES_BY_STAGE } from './lifecycle.js';

/** What the table reads about a claim; gathered by the documents service from the claim and its history. */
export interface IssuanceFacts {
  stage: string;
  status: string;
  enforceableTitle: boolean;
  /** The creditor's batch policy lets the claim go to litigation (file_suit's condition). */
  litigationAllowed: boolean;
  /** The case number of the enforceable title (judgment, confirmation ruling), when the claim has one. */
  titleCaseNo: string | null;
  /** A `certify_repair` event is in the claim's history: the court removed its listings. */
  repairCertified: boolean;
  /** The day the claim's latest agreed settlement took effect, or null without one. */
  agreedOn: string | null;
  /** Today in Asia/Shanghai. */
  today: string;
}

export const ISSUANCE_FACTS = [
  'agreement',
  'unconfirmed',
  'confirmation_window',
  'litigation_allowed',
  'enforceable_title',
  'repair_certified',
] as const;
export type IssuanceFact = (typeof ISSUANCE_FACTS)[number];

interface FactRule {
  holds: (f: IssuanceFacts, cal: HolidayCalendar) => boolean;
  /** The rule in words, for the 409 answer and the printed table. */
  text: string;
}

const FACTS: Record<IssuanceFact, FactRule> = {
  agreement: { holds: (f) => f.agreedOn !== null, text: 'an agreed settlement of the claim' },
  unconfirmed: { holds: (f) => !f.enforceableTitle, text: 'no court has confirmed it yet' },
  // People's Mediation Law art. 33, CPL (2021) art. 201: apply jointly within 30 days of the agreement
  // taking effect (DOMAIN.md §4.1, §4.2), counted per CPL art. 85 (§4.5).
  confirmation_window: {
    holds: (f, cal) => f.agreedOn !== null && compareDates(f.today, judicialConfirmationDeadline(cal, f.agreedOn)) <= 0,
    text: 'within 30 days of the agreement taking effect (People’s Mediation Law art. 33; CPL art. 201)',
  },
  litigation_allowed: { holds: (f) => f.litigationAllowed, text: "the creditor's policy allows litigation" },
  enforceable_title: {
    holds: (f) => f.enforceableTitle && f.titleCaseNo !== null,
    text: 'an enforceable title with its case number',
  },
  repair_certified: { holds: (f) => f.repairCertified, text: 'the court has certified the repair (certify_repair)' },
};

export interface IssuanceRule {
  /** A stable name of the rule, returned as the 409's `reason`. */
  rule: string;
  positions: readonly Position[];
  facts: readonly IssuanceFact[];
  summary: string;
}

const mediation = (...statuses: string[]): Position[] =>
  (['people_mediation', 'court_mediation'] as const).flatMap((stage) =>
    statuses.map((s) => `${stage}/${s}` as Position),
  );
const litigation = STATUSES_BY_STAGE.litigation.map((s) => `litigation/${s}` as Position);
const MEDIATION_OPEN = mediation('awaiting_contact', 'notified', 'in_session');

/** The table: one row per document kind (a Record, so a new kind cannot go unruled). */
export const ISSUANCE_RULES: Readonly<Record<DocumentKind, IssuanceRule>> = {
  demand_letter: {
    rule: 'demand_while_unresolved',
    positions: [...MEDIATION_OPEN, ...mediation('failed')],
    facts: [],
    summary: 'a demand while the claim is in mediation and no agreement binds the parties',
  },
  mediation_notice: {
    rule: 'notice_while_mediation_open',
    positions: MEDIATION_OPEN,
    facts: [],
    summary: 'a mediation notice while mediation is open',
  },
  litigation_risk_notice: {
    rule: 'risk_notice_while_mediation_open',
    positions: [...MEDIATION_OPEN, ...mediation('failed')],
    facts: [],
    summary: 'litigation risks explained while mediation is open or has failed',
  },
  mediation_agreement: {
    rule: 'agreement_after_agree',
    positions: mediation('agreed', 'confirmed', 'performing'),
    facts: ['agreement'],
    summary: 'an agreement only from an agreement (agree)',
  },
  // DOMAIN.md §4.3: an agreement reached in court pre-litigation mediation is confirmed the same way.
  judicial_confirmation_application: {
    rule: 'confirmation_within_30_days_of_agreement',
    positions: mediation('agreed', 'confirmation_applied', 'performing'),
    facts: ['agreement', 'unconfirmed', 'confirmation_window'],
    summary: 'judicial confirmation of an agreed, unconfirmed settlement inside the 30-day window',
  },
  complaint: {
    rule: 'complaint_at_file_suit',
    positions: ['court_mediation/failed', ...litigation],
    facts: ['litigation_allowed'],
    summary: 'a complaint at file_suit (court mediation failed) or in litigation',
  },
  enforcement_application: {
    rule: 'enforcement_with_title',
    positions: [
      ...mediation('confirmed', 'performing'),
      'litigation/judged',
      ...STATUSES_BY_STAGE.enforcement.filter((s) => s !== 'fulfilled').map((s) => `enforcement/${s}` as Position),
    ],
    facts: ['enforceable_title'],
    summary: 'enforcement only on an enforceable title and its case number',
  },
  credit_repair_certificate: {
    rule: 'repair_after_certify_repair',
    positions: ['credit_repair/certified', 'closed/fulfilled'],
    facts: ['repair_certified'],
    summary: 'a credit repair certificate only after certify_repair',
  },
};

export type IssuanceCheck = { ok: true } | { ok: false; rule: string; detail: string };

/** Whether a document of `kind` may be issued for a claim with these facts; if not, the rule and why. */
export function mayIssue(kind: DocumentKind, facts: IssuanceFacts, cal: HolidayCalendar): IssuanceCheck {
  const rule = ISSUANCE_RULES[kind];
  const title = KIND_RULES[kind].title;
  const position = `${facts.stage}/${facts.status}` as Position;
  if (!rule.positions.includes(position)) {
    return {
      ok: false,
      rule: rule.rule,
      detail:
        `A ${title} (${kind}) is not issued while the claim is ${position}: ${rule.summary}. ` +
        `Ask for it once the claim is at ${rule.positions.join(', ')}.`,
    };
  }
  const missing = rule.facts.filter((f) => !FACTS[f].holds(facts, cal));
  if (missing.length > 0) {
    return {
      ok: false,
      rule: rule.rule,
      detail:
        `A ${title} (${kind}) needs ${missing.map((f) => FACTS[f].text).join(' and ')}, which the claim does not have; ` +
        'record it first, or make the document the claim may have now.',
    };
  }
  return { ok: true };
}

/** The table as data: per kind, its rule, the positions, the facts in words and who issues it. */
export const issuanceTable = () =>
  DOCUMENT_KINDS.map((kind) => ({
    kind,
    title: KIND_RULES[kind].title,
    rule: ISSUANCE_RULES[kind].rule,
    positions: [...ISSUANCE_RULES[kind].positions],
    facts: ISSUANCE_RULES[kind].facts.map((f) => FACTS[f].text),
    issuedBy: KIND_RULES[kind].issuer === 'creditor' ? "claim's creditor" : 'mediating organisation',
  }));

/** The table as aligned text, one row per kind, for review and the committed snapshot. */
export function formatIssuanceTable(): string {
  const rows = issuanceTable().map((r) => [
    r.kind,
    r.title,
    r.rule,
    r.positions.join(' '),
    r.facts.join('; '),
    r.issuedBy,
  ]);
  const header = ['kind', 'title', 'rule', 'positions', 'facts', 'issued by'];
  // Chinese titles are two columns wide in a monospace font; pad by display width so the table lines up.
  const width = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i]!))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i]! - width(c)))
      .join(' | ')
      .trimEnd();
  return `${[line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n')}\n`;
}
