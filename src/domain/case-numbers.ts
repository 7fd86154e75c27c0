/**
 * Court case numbers (案号, DOMAIN.md §4.4): `（2026）闽0502民诉前调123号` = receiving year, court code
 * (法院代字), case-type code, serial (restarting every year per court and type), `号`. The court code is
 * split off by matching the courts we know, never by guessing from the characters.
 */

/** The case types this funnel opens (DOMAIN.md §4.4; high confidence for 民特, 民初, 执; medium for the rest). */
export const CASE_TYPES = {
  pre_litigation_mediation: '民诉前调',
  judicial_confirmation: '民特',
  first_instance: '民初',
  enforcement: '执',
  resumed_enforcement: '执恢',
} as const;
export type CaseKind = keyof typeof CASE_TYPES;
export const CASE_KINDS = Object.keys(CASE_TYPES) as [CaseKind, ...CaseKind[]];

const KIND_BY_TYPE = new Map(Object.entries(CASE_TYPES).map(([k, v]) => [v as string, k as CaseKind]));

export interface CaseNumber {
  year: number;
  courtCode: string;
  kind: CaseKind;
  serial: number;
}

export type CaseNumberCheck = { ok: true; value: CaseNumber } | { ok: false; code: string; detail: string };

// Full-width or half-width brackets; the court code and type word are split against the known courts.
const SHAPE = /^[（(](\d{4})[)）]([\u4e00-\u9fa5]{1,3}\d{0,4})([\u4e00-\u9fa5]{1,5})([1-9]\d{0,7})号$/u;

const bad = (code: string, detail: string): CaseNumberCheck => ({ ok: false, code, detail });

/** The official form: full-width brackets, no leading zeros. */
export function formatCaseNumber(n: CaseNumber): string {
  return `（${n.year}）${n.courtCode}${CASE_TYPES[n.kind]}${n.serial}号`;
}

/**
 * Read a case number as a court wrote it. `courtCodes` are the codes of the courts on the platform;
 * `latestYear` is the current year (a case cannot be received in the future; years before the 2016
 * format are refused, since those numbers carry 字第 and name no court code).
 */
export function parseCaseNumber(raw: string, courtCodes: readonly string[], latestYear: number): CaseNumberCheck {
  const text = raw.trim();
  const m = SHAPE.exec(text);
  if (!m)
    return bad(
      'case_no_format',
      `"${raw}" is not a case number: write it as （year）court code, case type, serial 号, e.g. （2026）闽0502民特123号.`,
    );
  const [, yearText, head, tail, serialText] = m as unknown as [string, string, string, string, string];
  const year = Number(yearText);
  if (year < 2016 || year > latestYear)
    return bad(
      'case_no_year',
      `The year ${year} is outside 2016–${latestYear}: a case number names the year it was received, and numbers from before 2016 (with 字第) are not taken.`,
    );
  // The court code is the longest known code at the start of what follows the year.
  const rest = head + tail;
  const courtCode = [...courtCodes].sort((a, b) => b.length - a.length).find((c) => rest.startsWith(c));
  if (!courtCode)
    return bad('case_no_court', `"${raw}" names no court on the platform; check the court code (法院代字).`);
  const kind = KIND_BY_TYPE.get(rest.slice(courtCode.length));
  if (!kind)
    return bad(
      'case_no_type',
      `"${rest.slice(courtCode.length)}" is not a case type this platform handles (${Object.values(CASE_TYPES).join('、')}).`,
    );
  return { ok: true, value: { year, courtCode, kind, serial: Number(serialText) } };
}
