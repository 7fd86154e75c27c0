import { describe, expect, it } from 'vitest';
import { formatIssuanceTable, ISSUANCE_RULES, type IssuanceFacts, mayIssue } from './document-issuance.js';
import { DOCUMENT_KINDS } from './document-kinds.js';
import { cnCalendar2025_2026 } from './holiday-calendar.js';
import { type Position, STAGES, STATUSES_BY_STAGE } from './lifecycle.js';

const cal = cnCalendar2025_2026;
const ALL_POSITIONS = STAGES.flatMap((stage) => STATUSES_BY_STAGE[stage].map((s) => `${stage}/${s}` as Position));

/** A claim at `position` with the table's facts true. */
const everythingTrue = (position: string, over: Partial<IssuanceFacts> = {}): IssuanceFacts => {
  const [stage, status] = position.split('/') as [string, string];
  return {
    stage,
    status,
    enforceableTitle: true,
    litigationAllowed: true,
    titleCaseNo: '（2026）闽0502民特88号',
    repairCertified: true,
    agreedOn: '2026-03-02',
    today: '2026-03-10',
    ...over,
  };
};

describe('mayIssue: positions', () => {
  it('refuses every kind at every position outside its row, naming the rule', () => {
    let refused = 0;
    for (const kind of DOCUMENT_KINDS) {
      for (const position of ALL_POSITIONS) {
        // Judicial confirmation is the one kind that needs the title absent.
        const facts = everythingTrue(position, { enforceableTitle: kind !== 'judicial_confirmation_application' });
        const result = mayIssue(kind, facts, cal);
        const listed = ISSUANCE_RULES[kind].positions.includes(position as Position);
        expect(result.ok, `${kind} at ${position}`).toBe(listed);
        if (!result.ok) {
          refused++;
          expect(result.rule).toBe(ISSUANCE_RULES[kind].rule);
          expect(result.detail).toContain(position);
        }
      }
    }
    expect(refused).toBeGreaterThan(DOCUMENT_KINDS.length * 20);
  });

  it('never issues a credit repair certificate while the claim is in mediation (the ¥44,019.88 case)', () => {
    const result = mayIssue('credit_repair_certificate', everythingTrue('people_mediation/awaiting_contact'), cal);
    expect(result).toMatchObject({ ok: false, rule: 'repair_after_certify_repair' });
  });

  it('issues a complaint at file_suit and in litigation only', () => {
    expect(mayIssue('complaint', everythingTrue('court_mediation/failed'), cal).ok).toBe(true);
    expect(mayIssue('complaint', everythingTrue('litigation/filed'), cal).ok).toBe(true);
    expect(mayIssue('complaint', everythingTrue('people_mediation/failed'), cal).ok).toBe(false);
    const barred = mayIssue('complaint', everythingTrue('court_mediation/failed', { litigationAllowed: false }), cal);
    expect(barred).toMatchObject({ ok: false, rule: 'complaint_at_file_suit' });
  });
});

describe('mayIssue: facts', () => {
  it('needs certify_repair in the history for a credit repair certificate', () => {
    const result = mayIssue(
      'credit_repair_certificate',
      everythingTrue('closed/fulfilled', { repairCertified: false }),
      cal,
    );
    expect(result).toMatchObject({ ok: false, rule: 'repair_after_certify_repair' });
    if (!result.ok) expect(result.detail).toContain('certify_repair');
    expect(mayIssue('credit_repair_certificate', everythingTrue('credit_repair/certified'), cal).ok).toBe(true);
  });

  it('needs an enforceable title and its case number for an enforcement application', () => {
    expect(mayIssue('enforcement_application', everythingTrue('litigation/judged'), cal).ok).toBe(true);
    const noCaseNo = mayIssue(
      'enforcement_application',
      everythingTrue('litigation/judged', { titleCaseNo: null }),
      cal,
    );
    expect(noCaseNo).toMatchObject({ ok: false, rule: 'enforcement_with_title' });
    const noTitle = mayIssue(
      'enforcement_application',
      everythingTrue('people_mediation/performing', { enforceableTitle: false }),
      cal,
    );
    expect(noTitle.ok).toBe(false);
  });

  it('needs an agreement for a mediation agreement', () => {
    expect(
      mayIssue('mediation_agreement', everythingTrue('people_mediation/agreed', { agreedOn: null }), cal),
    ).toMatchObject({ ok: false, rule: 'agreement_after_agree' });
  });

  it('needs an unconfirmed agreement for judicial confirmation', () => {
    const confirmed = everythingTrue('people_mediation/performing', { enforceableTitle: true });
    expect(mayIssue('judicial_confirmation_application', confirmed, cal).ok).toBe(false);
    const unconfirmed = { ...confirmed, enforceableTitle: false };
    expect(mayIssue('judicial_confirmation_application', unconfirmed, cal).ok).toBe(true);
  });

  it('counts the 30-day confirmation window per CPL art. 85 (DOMAIN.md §4.1, §4.2, §4.5)', () => {
    const at = (agreedOn: string, today: string) =>
      mayIssue(
        'judicial_confirmation_application',
        everythingTrue('people_mediation/agreed', { agreedOn, today, enforceableTitle: false }),
        cal,
      ).ok;
    // 2026-01-10 + 30 days = Monday 2026-02-09, a working day.
    expect(at('2026-01-10', '2026-02-09')).toBe(true);
    expect(at('2026-01-10', '2026-02-10')).toBe(false);
    // 2026-01-16 + 30 days = 2026-02-15, inside the Spring Festival (02-15..02-23): the window ends 02-24.
    expect(at('2026-01-16', '2026-02-24')).toBe(true);
    expect(at('2026-01-16', '2026-02-25')).toBe(false);
  });
});

describe('the table as text', () => {
  it('matches the committed snapshot', async () => {
    await expect(formatIssuanceTable()).toMatchFileSnapshot('./__snapshots__/document-issuance-table.txt');
  });
});
