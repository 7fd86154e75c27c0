import { describe, expect, it } from 'vitest';
import {
  classFloor,
  classify,
  GUARANTEE_LABELS,
  LOAN_CLASS_LABELS,
  parseGuarantee,
  RISK_WORSEN_THRESHOLD,
  type RiskInput,
  riskScore,
} from './five-tier.js';

describe('classFloor (2023 measures)', () => {
  it.each([
    [0, 'normal'],
    [1, 'special_mention'],
    [90, 'special_mention'],
    [91, 'substandard'],
    [270, 'substandard'],
    [271, 'doubtful'],
    [360, 'doubtful'],
    [361, 'loss'],
    [5000, 'loss'],
  ] as const)('%i days → %s', (days, cls) => {
    expect(classFloor(days)).toBe(cls);
  });

  it('rejects negative or fractional days', () => {
    expect(() => classFloor(-1)).toThrow(RangeError);
    expect(() => classFloor(1.5)).toThrow(RangeError);
  });

  it('labels classes in Chinese', () => {
    expect(Object.values(LOAN_CLASS_LABELS)).toEqual(['正常', '关注', '次级', '可疑', '损失']);
  });
});

const base: RiskInput = { overdueDays: 0, outstandingFen: 0, guarantee: 'mortgage', annualRateBp: 1000 };

describe('riskScore', () => {
  it('is low for a current, small, secured, cheap loan', () => {
    expect(riskScore(base)).toBe(3);
  });

  it('lets overdue days dominate', () => {
    expect(riskScore({ ...base, overdueDays: 1 })).toBe(13);
    expect(riskScore({ ...base, overdueDays: 180 })).toBe(38);
    expect(riskScore({ ...base, overdueDays: 360 })).toBe(63);
    expect(riskScore({ ...base, overdueDays: 3000 })).toBe(63);
  });

  it('raises risk for larger amounts, no security and a rate above 24%', () => {
    expect(riskScore({ ...base, outstandingFen: 999_999 })).toBe(3);
    expect(riskScore({ ...base, outstandingFen: 1_000_000 })).toBe(8);
    expect(riskScore({ ...base, outstandingFen: 5_000_000 })).toBe(13);
    expect(riskScore({ ...base, outstandingFen: 20_000_000 })).toBe(18);
    expect(riskScore({ ...base, guarantee: 'guarantor' })).toBe(8);
    expect(riskScore({ ...base, guarantee: 'none' })).toBe(15);
    expect(riskScore({ ...base, annualRateBp: 2400 })).toBe(3);
    expect(riskScore({ ...base, annualRateBp: 2401 })).toBe(13);
  });

  it('reaches 100 at worst and stays within 0..100', () => {
    expect(riskScore({ overdueDays: 400, outstandingFen: 50_000_000, guarantee: 'none', annualRateBp: 3600 })).toBe(
      100,
    );
  });
});

describe('classify', () => {
  it('keeps the floor when the score is below the threshold', () => {
    const r = classify({ ...base, overdueDays: 91 });
    expect(r.riskScore).toBeLessThan(RISK_WORSEN_THRESHOLD);
    expect(r.loanClass).toBe('substandard');
  });

  it('worsens by one tier at a high score', () => {
    const r = classify({ overdueDays: 271, outstandingFen: 20_000_000, guarantee: 'none', annualRateBp: 3600 });
    expect(r.riskScore).toBe(87);
    expect(r.loanClass).toBe('loss');
  });

  it('never goes past loss and never better than the floor', () => {
    expect(
      classify({ overdueDays: 361, outstandingFen: 20_000_000, guarantee: 'none', annualRateBp: 3600 }).loanClass,
    ).toBe('loss');
    expect(
      classify({ overdueDays: 0, outstandingFen: 20_000_000, guarantee: 'none', annualRateBp: 3600 }).loanClass,
    ).toBe('normal');
  });
});

describe('parseGuarantee', () => {
  it('maps Chinese labels and English codes', () => {
    for (const [code, label] of Object.entries(GUARANTEE_LABELS)) {
      expect(parseGuarantee(label)).toEqual({ ok: true, value: code });
      expect(parseGuarantee(` ${code.toUpperCase()} `)).toEqual({ ok: true, value: code });
    }
  });

  it('treats empty as none', () => {
    expect(parseGuarantee('')).toEqual({ ok: true, value: 'none' });
    expect(parseGuarantee('  ')).toEqual({ ok: true, value: 'none' });
    expect(parseGuarantee(undefined)).toEqual({ ok: true, value: 'none' });
  });

  it('rejects unknown values with a code', () => {
    const r = parseGuarantee('留置');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('guarantee_unknown');
      expect(r.detail).toContain('留置');
    }
  });
});
