/**
 * Case numbers as courts give them (DOMAIN.md §4.4): the next serial per court, case type and year, or
 * one the clerk typed, parsed and checked against the court, the type and the numbers already given.
 */
import { and, eq, max } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { courtCases, type Organisation, organisations } from '../../db/schema/index.js';
import { CASE_TYPES, type CaseKind, formatCaseNumber, parseCaseNumber } from '../../domain/case-numbers.js';
import { AppError } from '../../errors.js';

export interface AssignedCaseNo {
  caseNo: string;
  year: number;
  serial: number;
}

const refused = (reason: string, detail: string) =>
  new AppError('unprocessable', detail, { reason, fields: [{ field: '/body/caseNo', message: detail }] });

/** The court's code (法院代字), which every case number it gives starts with. */
export function courtCodeOf(court: Organisation): string {
  if (court.kind !== 'court' || !court.courtCode)
    throw new AppError('unprocessable', `${court.name} has no court code (法院代字); an admin must set it first.`, {
      reason: 'court_code_missing',
    });
  return court.courtCode;
}

/** The case number `given` by the clerk, checked, or else the court's next one for `kind` in `year`. */
export function assignCaseNo(
  tx: DbOrTx,
  court: Organisation,
  kind: CaseKind,
  year: number,
  given: string | undefined,
): AssignedCaseNo {
  const courtCode = courtCodeOf(court);
  if (given === undefined) {
    const last = tx
      .select({ serial: max(courtCases.serial) })
      .from(courtCases)
      .where(and(eq(courtCases.courtOrgId, court.id), eq(courtCases.kind, kind), eq(courtCases.year, year)))
      .get();
    const serial = (last?.serial ?? 0) + 1;
    return { caseNo: formatCaseNumber({ year, courtCode, kind, serial }), year, serial };
  }
  const codes = tx
    .select({ code: organisations.courtCode })
    .from(organisations)
    .where(eq(organisations.kind, 'court'))
    .all()
    .flatMap((o) => (o.code ? [o.code] : []));
  const parsed = parseCaseNumber(given, codes, year);
  if (!parsed.ok) throw refused(parsed.code, parsed.detail);
  const n = parsed.value;
  if (n.courtCode !== courtCode)
    throw refused('case_no_court', `${given} is a case of court ${n.courtCode}; this case is before ${courtCode}.`);
  if (n.kind !== kind)
    throw refused(
      'case_no_type',
      `${given} is a ${CASE_TYPES[n.kind]} case number; this case needs a ${CASE_TYPES[kind]} one.`,
    );
  const caseNo = formatCaseNumber(n);
  const taken = tx.select({ id: courtCases.id }).from(courtCases).where(eq(courtCases.caseNo, caseNo)).get();
  if (taken) throw refused('case_no_taken', `${caseNo} was already given to court case ${taken.id}; check the number.`);
  return { caseNo, year: n.year, serial: n.serial };
}
