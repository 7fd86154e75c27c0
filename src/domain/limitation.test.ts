import { describe, expect, it } from 'vitest';
import { cnCalendar2025_2026 } from './holiday-calendar.js';
import {
  ABSOLUTE_LIMITATION_YEARS,
  computeLimitation,
  enforcementApplicationDeadline,
  type Interruption,
  LIMITATION_YEARS,
  type LimitationInput,
  limitationStatus,
  plainlyExpired,
} from './limitation.js';

const cal = cnCalendar2025_2026;
const expiresOn = (input: LimitationInput) => computeLimitation(input, cal).expiresOn;
const due = (dueDate: string, interruptions: Interruption[] = []): LimitationInput => ({ dueDate, interruptions });

describe('computeLimitation: the period (arts 188, 189)', () => {
  it('runs 3 years from the due date', () => {
    expect(LIMITATION_YEARS).toBe(3);
    expect(computeLimitation(due('2022-03-10'), cal)).toMatchObject({
      expiresOn: '2025-03-10',
      countedFrom: { kind: 'due_date', on: '2022-03-10' },
      defenceWaivedBy: null,
    });
  });

  it('runs from the last instalment for instalment loans (art. 189)', () => {
    expect(expiresOn({ dueDate: '2021-01-15', lastInstalmentDueDate: '2022-12-15', interruptions: [] })).toBe(
      '2025-12-15',
    );
  });

  it('runs from acceleration when present, even before the last instalment', () => {
    const input = {
      dueDate: '2021-01-15',
      lastInstalmentDueDate: '2023-12-15',
      accelerationDate: '2022-02-03',
      interruptions: [],
    };
    expect(computeLimitation(input, cal)).toMatchObject({
      expiresOn: '2025-02-05', // 2025-02-03 is inside the Spring Festival holiday (01-28..02-04); 02-05 works
      countedFrom: { kind: 'acceleration', on: '2022-02-03' },
    });
  });

  it('moves a Feb 29 start to Feb 28 (art. 202: no corresponding day, the month end)', () => {
    // 2027-02-28 is a Sunday; 2027 has no loaded arrangement, so the weekend rule moves it to Monday.
    expect(expiresOn(due('2024-02-29'))).toBe('2027-03-01');
  });
});

describe('computeLimitation: a last day on a holiday (art. 203)', () => {
  it('moves to the first working day after the holiday', () => {
    // 2026-10-01 falls in the National Day holiday 10-01..10-07 of the loaded 2026 arrangement.
    expect(expiresOn(due('2023-10-01'))).toBe('2026-10-08');
    expect(expiresOn(due('2022-01-01'))).toBe('2025-01-02');
  });

  it('moves off a weekend', () => {
    expect(expiresOn(due('2022-03-15'))).toBe('2025-03-17'); // Saturday → Monday
  });

  it('keeps a statutory holiday of a year whose arrangement is not loaded', () => {
    // 2027-01-01 (Friday, 元旦) is not loaded: the statutory holiday still moves the end to Monday.
    expect(expiresOn(due('2024-01-01'))).toBe('2027-01-04');
  });
});

describe('computeLimitation: interruptions (art. 195)', () => {
  it('restarts in full from the latest interruption and says which event it was', () => {
    const r = computeLimitation(
      due('2021-06-01', [
        { kind: 'payment', on: '2023-05-04', eventSeq: 7 },
        { kind: 'demand_served', on: '2022-01-04', eventSeq: 3 },
      ]),
      cal,
    );
    expect(r).toMatchObject({
      expiresOn: '2026-05-06',
      countedFrom: { kind: 'payment', on: '2023-05-04', eventSeq: 7 },
    });
  });

  it('ignores interruptions before the start', () => {
    expect(expiresOn(due('2022-06-01', [{ kind: 'demand_served', on: '2022-01-01' }]))).toBe('2025-06-03');
  });

  it('does not revive an expired period: a demand after expiry changes nothing', () => {
    const r = computeLimitation(due('2020-01-10', [{ kind: 'demand_served', on: '2023-06-01' }]), cal);
    expect(r).toMatchObject({ expiresOn: '2023-01-10', countedFrom: { kind: 'due_date' }, defenceWaivedBy: null });
    expect(plainlyExpired(r, '2025-01-01')).toBe(true);
  });

  it('an acknowledgement after expiry waives the defence (art. 192)', () => {
    const ack: Interruption = { kind: 'acknowledgement', on: '2023-06-01', eventSeq: 9 };
    const r = computeLimitation(due('2020-01-10', [ack]), cal);
    expect(r.defenceWaivedBy).toEqual(ack);
    expect(plainlyExpired(r, '2025-01-01')).toBe(false);
  });

  it('never runs past 20 years from the start (art. 188)', () => {
    expect(ABSOLUTE_LIMITATION_YEARS).toBe(20);
    const demands: Interruption[] = [
      '2008-05-01',
      '2010-11-01',
      '2013-05-01',
      '2015-11-01',
      '2018-05-01',
      '2020-11-01',
      '2023-05-04',
      '2025-06-03',
    ].map((on) => ({ kind: 'demand_served', on }));
    const r = computeLimitation(due('2006-05-10', demands), cal);
    // 2006-05-10 + 20 years = Sunday 2026-05-10 → Monday 2026-05-11, not 2025-06-03 + 3 years.
    expect(r).toMatchObject({ expiresOn: '2026-05-11', absoluteLimitOn: '2026-05-11' });
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
    expect(plainlyExpired(computeLimitation(due('2020-01-10'), cal), '2025-01-01')).toBe(true);
  });

  it('is false when an interruption kept the period running', () => {
    const r = computeLimitation(due('2020-01-10', [{ kind: 'mediation_application', on: '2022-12-01' }]), cal);
    expect(r.expiresOn).toBe('2025-12-01');
    expect(plainlyExpired(r, '2025-01-01')).toBe(false);
  });

  it('is false while the period runs', () => {
    expect(plainlyExpired(computeLimitation(due('2023-01-10'), cal), '2025-01-01')).toBe(false);
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
