import { describe, expect, it } from 'vitest';
import { formatCaseNumber, parseCaseNumber } from './case-numbers.js';

const COURTS = ['闽', '闽05', '闽0502', '川0104'];

describe('case numbers (DOMAIN.md §4.4)', () => {
  it('reads year, court code, type and serial, with full-width or half-width brackets', () => {
    expect(parseCaseNumber('（2026）闽0502民诉前调123号', COURTS, 2026)).toEqual({
      ok: true,
      value: { year: 2026, courtCode: '闽0502', kind: 'pre_litigation_mediation', serial: 123 },
    });
    expect(parseCaseNumber('(2021)川0104民诉前调801号', COURTS, 2026)).toMatchObject({
      ok: true,
      value: { courtCode: '川0104', kind: 'pre_litigation_mediation', serial: 801 },
    });
    expect(parseCaseNumber('（2026）闽0502民特1号', COURTS, 2026)).toMatchObject({
      value: { kind: 'judicial_confirmation' },
    });
    // The longest known court code wins: 闽05 is the intermediate court, 闽 the high court.
    expect(parseCaseNumber('（2025）闽05执12号', COURTS, 2026)).toMatchObject({
      value: { courtCode: '闽05', kind: 'enforcement' },
    });
    expect(parseCaseNumber('（2025）闽民初3号', COURTS, 2026)).toMatchObject({
      value: { courtCode: '闽', kind: 'first_instance' },
    });
  });

  it('writes the official form and reads it back', () => {
    const n = { year: 2026, courtCode: '闽0502', kind: 'judicial_confirmation', serial: 123 } as const;
    expect(formatCaseNumber(n)).toBe('（2026）闽0502民特123号');
    expect(parseCaseNumber(formatCaseNumber(n), COURTS, 2026)).toEqual({ ok: true, value: n });
  });

  it('refuses malformed numbers, naming what is wrong', () => {
    const code = (raw: string) => {
      const r = parseCaseNumber(raw, COURTS, 2026);
      return r.ok ? 'ok' : r.code;
    };
    expect(code('2026闽0502民特123号')).toBe('case_no_format');
    expect(code('（2026）闽0502民特123')).toBe('case_no_format');
    expect(code('（2026）闽0502民特0号')).toBe('case_no_format');
    expect(code('（26）闽0502民特1号')).toBe('case_no_format');
    expect(code('（2014）鲤民初字第123号')).toBe('case_no_year');
    expect(code('（2027）闽0502民特1号')).toBe('case_no_year');
    expect(code('（2015）闽0502民特1号')).toBe('case_no_year');
    expect(code('（2026）粤0703民特1号')).toBe('case_no_court');
    expect(code('（2026）闽0502刑初1号')).toBe('case_no_type');
  });
});
