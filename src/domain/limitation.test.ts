import { describe, expect, it } from 'vitest';
import { cnCalendar2025_2026 } from './holiday-calendar.js';
import {
  enforcementApplicationDeadline,
  LIMITATION_YEARS,
  limitationExpiresOn,
  limitationStatus,
  plainlyExpired,
} from './limitation.js';

describe('limitationExpiresOn', () => {
  it('runs 3 years from the due date', () => {
    expect(LIMITATION_YEARS).toBe(3);
    expect(limitationExpiresOn({ dueDate: '2022-03-10', interruptions: [] })).toBe('2025-03-10');
  });

  it('runs from the last instalment for instalment loans (art. 189)', () => {
    expect(limitationExpiresOn({ dueDate: '2021-01-15', lastInstalmentDueDate: '2022-12-15', interruptions: [] })).toBe(
      '2025-12-15',
    );
  });

  it('runs from acceleration when present, even before the last instalment', () => {
    expect(
      limitationExpiresOn({
        dueDate: '2021-01-15',
        lastInstalmentDueDate: '2023-12-15',
        accelerationDate: '2022-02-01',
        interruptions: [],
      }),
    ).toBe('2025-02-01');
  });

  it('restarts in full from the latest interruption (art. 195)', () => {
    expect(limitationExpiresOn({ dueDate: '2021-06-01', interruptions: ['2023-05-04', '2022-01-01'] })).toBe(
      '2026-05-04',
    );
  });

  it('ignores interruptions before the start', () => {
    expect(limitationExpiresOn({ dueDate: '2022-06-01', interruptions: ['2022-01-01'] })).toBe('2025-06-01');
  });

  it('moves a Feb 29 start to Feb 28', () => {
    expect(limitationExpiresOn({ dueDate: '2024-02-29', interruptions: [] })).toBe('2027-02-28');
  });
});

describe('limitationStatus', () => {
  it('is running far from expiry', () => {
    expect(limitationStatus('2025-12-31', '2025-10-01')).toBe('running');
  });

  it('warns within 90 days, inclusive', () => {
    expect(limitationStatus('2025-12-31', '2025-10-02')).toBe('expiring_soon');
    expect(limitationStatus('2025-12-31', '2025-12-31')).toBe('expiring_soon');
  });

  it('is expired the day after the last day', () => {
    expect(limitationStatus('2025-12-31', '2026-01-01')).toBe('expired');
  });

  it('takes a custom warning window', () => {
    expect(limitationStatus('2025-12-31', '2025-12-01', 10)).toBe('running');
    expect(limitationStatus('2025-12-31', '2025-12-21', 10)).toBe('expiring_soon');
  });
});

describe('plainlyExpired', () => {
  it('is true for an expired claim with no interruption', () => {
    expect(plainlyExpired({ dueDate: '2020-01-10', interruptions: [] }, '2025-01-01')).toBe(true);
  });

  it('is false when an interruption after the start exists, even if expired', () => {
    expect(plainlyExpired({ dueDate: '2018-01-10', interruptions: ['2019-01-01'] }, '2025-01-01')).toBe(false);
  });

  it('is false while the period runs', () => {
    expect(plainlyExpired({ dueDate: '2023-01-10', interruptions: [] }, '2025-01-01')).toBe(false);
  });
});

describe('enforcementApplicationDeadline', () => {
  it('is 2 years after performance ends', () => {
    expect(enforcementApplicationDeadline('2024-03-15')).toBe('2026-03-15');
  });

  it('moves to the next working day with a calendar', () => {
    // 2024-10-03 + 2 years = 2026-10-03, inside the National Day holiday → 2026-10-08.
    expect(enforcementApplicationDeadline('2024-10-03')).toBe('2026-10-03');
    expect(enforcementApplicationDeadline('2024-10-03', cnCalendar2025_2026)).toBe('2026-10-08');
  });
});
