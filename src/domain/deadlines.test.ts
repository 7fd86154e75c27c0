import { describe, expect, it } from 'vitest';
import {
  COURT_LIST_DELETION_WORKING_DAYS,
  COURT_PRE_LITIGATION_MEDIATION_DAYS,
  CREDIT_REPORT_OBJECTION_DAYS,
  courtListDeletionDeadline,
  creditObjectionDeadline,
  JUDICIAL_CONFIRMATION_APPLICATION_DAYS,
  judicialConfirmationDeadline,
  mediationDeadline,
  OBJECTION_REPLY_DAYS,
  objectionReplyDeadline,
  PEOPLES_MEDIATION_TIMEOUT_DAYS,
  PUBLIC_NOTICE_SERVICE_DAYS,
  publicNoticeServiceDate,
} from './deadlines.js';
import { cnCalendar2025_2026 as cal } from './holiday-calendar.js';

describe('defaults', () => {
  it('match DOMAIN.md', () => {
    expect([
      PEOPLES_MEDIATION_TIMEOUT_DAYS,
      COURT_PRE_LITIGATION_MEDIATION_DAYS,
      JUDICIAL_CONFIRMATION_APPLICATION_DAYS,
      OBJECTION_REPLY_DAYS,
      CREDIT_REPORT_OBJECTION_DAYS,
      PUBLIC_NOTICE_SERVICE_DAYS,
      COURT_LIST_DELETION_WORKING_DAYS,
    ]).toEqual([30, 30, 30, 15, 20, 30, 3]);
  });
});

describe('mediationDeadline', () => {
  it('ends 30 days after the start day on a working day', () => {
    expect(mediationDeadline(cal, '2025-03-03')).toBe('2025-04-02'); // Wednesday
  });

  it('moves past a holiday block', () => {
    // 2025-09-02 + 30 = 2025-10-02 (National Day) → 2025-10-09.
    expect(mediationDeadline(cal, '2025-09-02', COURT_PRE_LITIGATION_MEDIATION_DAYS)).toBe('2025-10-09');
  });

  it('takes another length', () => {
    expect(mediationDeadline(cal, '2025-03-03', 7)).toBe('2025-03-10');
  });
});

describe('publicNoticeServiceDate', () => {
  it('is 30 days after publication, moved off a weekend', () => {
    // 2025-02-06 + 30 = 2025-03-08 (Saturday) → Monday 2025-03-10.
    expect(publicNoticeServiceDate(cal, '2025-02-06')).toBe('2025-03-10');
  });

  it('moves off the Spring Festival', () => {
    // 2025-12-28 + 30 = 2026-01-27 (Tuesday); 2026-01-17 + 30 = 2026-02-16 (holiday) → 2026-02-24.
    expect(publicNoticeServiceDate(cal, '2025-12-28')).toBe('2026-01-27');
    expect(publicNoticeServiceDate(cal, '2026-01-17')).toBe('2026-02-24');
  });
});

describe('objectionReplyDeadline', () => {
  it('is 15 days after filing', () => {
    expect(objectionReplyDeadline(cal, '2025-06-03')).toBe('2025-06-18');
  });

  it('moves an end on May Day to the next working day', () => {
    // 2025-04-16 + 15 = 2025-05-01 → 2025-05-06.
    expect(objectionReplyDeadline(cal, '2025-04-16')).toBe('2025-05-06');
  });
});

describe('other deadlines', () => {
  it('judicial confirmation: 30 days from the agreement taking effect', () => {
    expect(judicialConfirmationDeadline(cal, '2025-05-02')).toBe('2025-06-03'); // 06-01 is a holiday; 06-02 too
  });

  it('credit objection: 20 days', () => {
    expect(creditObjectionDeadline(cal, '2025-07-01')).toBe('2025-07-21');
  });

  it('court list deletion: 3 working days over a holiday', () => {
    expect(courtListDeletionDeadline(cal, '2025-09-30')).toBe('2025-10-11'); // 10-09, 10-10, make-up Sat 10-11
  });
});
