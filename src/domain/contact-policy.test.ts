import { describe, expect, it } from 'vitest';
import {
  type ContactRequest,
  checkContact,
  DEFAULT_DAILY_CAPS,
  inQuietHours,
  QUIET_END_HOUR,
  QUIET_START_HOUR,
} from './contact-policy.js';

// Shanghai wall time → UTC instant (UTC+8).
const sh = (local: string): Date => new Date(`${local}+08:00`);

const ok: Omit<ContactRequest, 'now'> = {
  channel: 'sms',
  sentTodayToDebtor: 0,
  held: false,
  addressBelongsToDebtor: true,
};

describe('constants', () => {
  it('match the guideline and the design defaults', () => {
    expect([QUIET_START_HOUR, QUIET_END_HOUR]).toEqual([22, 8]);
    expect(DEFAULT_DAILY_CAPS).toEqual({ sms: 3, email: 3, call: 6 });
  });
});

describe('quiet hours', () => {
  it('allows 21:59 Shanghai', () => {
    expect(checkContact({ ...ok, now: sh('2025-03-10T21:59:00') })).toEqual({ allowed: true });
  });

  it('defers 22:00 Shanghai to 08:00 next morning', () => {
    const r = checkContact({ ...ok, now: sh('2025-03-10T22:00:00') });
    expect(r).toMatchObject({ allowed: false, rule: 'quiet_hours' });
    if (!r.allowed) expect(r.deferUntil?.toISOString()).toBe(sh('2025-03-11T08:00:00').toISOString());
  });

  it('defers 07:59 Shanghai to 08:00 the same morning', () => {
    const r = checkContact({ ...ok, channel: 'call', now: sh('2025-03-11T07:59:00') });
    expect(r).toMatchObject({ allowed: false, rule: 'quiet_hours' });
    if (!r.allowed) expect(r.deferUntil?.toISOString()).toBe('2025-03-11T00:00:00.000Z');
  });

  it('defers just after midnight to the same day 08:00', () => {
    const r = checkContact({ ...ok, channel: 'email', now: sh('2025-03-11T00:30:00') });
    if (r.allowed) expect.unreachable();
    else expect(r.deferUntil?.toISOString()).toBe(sh('2025-03-11T08:00:00').toISOString());
  });

  it('allows 08:00 Shanghai', () => {
    expect(checkContact({ ...ok, now: sh('2025-03-11T08:00:00') })).toEqual({ allowed: true });
  });

  it('does not apply to post', () => {
    expect(checkContact({ ...ok, channel: 'post', now: sh('2025-03-10T23:30:00') })).toEqual({ allowed: true });
  });

  it('accepts custom hours, including a non-wrapping window', () => {
    expect(inQuietHours(sh('2025-03-10T21:30:00'), { startHour: 21, endHour: 9 })).toBe(true);
    expect(inQuietHours(sh('2025-03-10T13:30:00'), { startHour: 12, endHour: 14 })).toBe(true);
    expect(inQuietHours(sh('2025-03-10T14:00:00'), { startHour: 12, endHour: 14 })).toBe(false);
  });
});

describe('frequency cap', () => {
  it('allows below the cap and defers at the cap to 08:00 the next day', () => {
    expect(checkContact({ ...ok, sentTodayToDebtor: 2, now: sh('2025-03-10T10:00:00') })).toEqual({ allowed: true });
    const r = checkContact({ ...ok, sentTodayToDebtor: 3, now: sh('2025-03-10T10:00:00') });
    expect(r).toMatchObject({ allowed: false, rule: 'frequency_cap' });
    if (!r.allowed) expect(r.deferUntil?.toISOString()).toBe(sh('2025-03-11T08:00:00').toISOString());
  });

  it('allows 6 call attempts', () => {
    expect(checkContact({ ...ok, channel: 'call', sentTodayToDebtor: 5, now: sh('2025-03-10T10:00:00') }).allowed).toBe(
      true,
    );
    expect(checkContact({ ...ok, channel: 'call', sentTodayToDebtor: 6, now: sh('2025-03-10T10:00:00') }).allowed).toBe(
      false,
    );
  });

  it('uses the Shanghai date for "next day" even when UTC is still the previous day', () => {
    // 06:00 Shanghai on 03-11 is 22:00 UTC on 03-10; with a 23:00-01:00 window it is outside quiet hours.
    const r = checkContact({
      ...ok,
      sentTodayToDebtor: 3,
      quiet: { startHour: 23, endHour: 1 },
      now: sh('2025-03-11T06:00:00'),
    });
    if (r.allowed) expect.unreachable();
    else expect(r.deferUntil?.toISOString()).toBe(sh('2025-03-12T01:00:00').toISOString());
  });

  it('does not cap post by default but honours custom caps', () => {
    expect(
      checkContact({ ...ok, channel: 'post', sentTodayToDebtor: 50, now: sh('2025-03-10T10:00:00') }).allowed,
    ).toBe(true);
    expect(
      checkContact({ ...ok, channel: 'post', sentTodayToDebtor: 1, caps: { post: 1 }, now: sh('2025-03-10T10:00:00') })
        .allowed,
    ).toBe(false);
  });
});

describe('refusals and precedence', () => {
  it('refuses a held claim without deferUntil', () => {
    const r = checkContact({ ...ok, held: true, now: sh('2025-03-10T10:00:00') });
    expect(r).toMatchObject({ allowed: false, rule: 'claim_on_hold' });
    expect('deferUntil' in r).toBe(false);
  });

  it('refuses a third-party address without deferUntil', () => {
    const r = checkContact({ ...ok, addressBelongsToDebtor: false, now: sh('2025-03-10T10:00:00') });
    expect(r).toMatchObject({ allowed: false, rule: 'not_debtor_address' });
    expect('deferUntil' in r).toBe(false);
  });

  it('orders rules: foreign address, hold, quiet hours, cap', () => {
    const night = sh('2025-03-10T23:00:00');
    const all = { ...ok, now: night, sentTodayToDebtor: 99, held: true, addressBelongsToDebtor: false };
    expect(checkContact(all)).toMatchObject({ rule: 'not_debtor_address' });
    expect(checkContact({ ...all, addressBelongsToDebtor: true })).toMatchObject({ rule: 'claim_on_hold' });
    expect(checkContact({ ...all, addressBelongsToDebtor: true, held: false })).toMatchObject({ rule: 'quiet_hours' });
    expect(
      checkContact({ ...all, addressBelongsToDebtor: true, held: false, now: sh('2025-03-10T12:00:00') }),
    ).toMatchObject({
      rule: 'frequency_cap',
    });
  });
});
