import { describe, expect, it } from 'vitest';
import { publicNoticeServedAt, reachesDebtor, redactContacts, retryAt } from './delivery-rules.js';
import { maskEmail } from './email.js';

describe('delivery rules', () => {
  it('backs off 1, 5, 30 and 120 minutes, then keeps 120', () => {
    const now = new Date('2026-11-20T02:00:00Z');
    expect([1, 2, 3, 4, 5, 9].map((n) => (retryAt(n, now).getTime() - now.getTime()) / 60_000)).toEqual([
      1, 5, 30, 120, 120, 120,
    ]);
    expect(retryAt(2, now, [10, 20]).toISOString()).toBe('2026-11-20T02:20:00.000Z');
    expect(() => retryAt(0, now)).toThrow(RangeError);
  });

  it('a debtor is reachable while a channel with a usable address has not failed for good', () => {
    const ch = (hasValidAddress: boolean, lastStatus: Parameters<typeof reachesDebtor>[0][number]['lastStatus']) => ({
      hasValidAddress,
      lastStatus,
    });
    expect(reachesDebtor([])).toBe(false);
    expect(reachesDebtor([ch(false, null), ch(false, null)])).toBe(false);
    expect(reachesDebtor([ch(true, 'failed'), ch(false, null)])).toBe(false);
    expect(reachesDebtor([ch(true, 'failed'), ch(true, 'failed')])).toBe(false);
    expect(reachesDebtor([ch(true, 'failed'), ch(true, null)])).toBe(true);
    expect(reachesDebtor([ch(true, 'retrying'), ch(false, null)])).toBe(true);
    expect(reachesDebtor([ch(false, 'sent'), ch(true, 'sent')])).toBe(true);
  });

  it('service by public notice completes at 00:00 Shanghai after the last day of the period', () => {
    expect(publicNoticeServedAt('2026-10-08').toISOString()).toBe('2026-10-08T16:00:00.000Z');
    expect(publicNoticeServedAt('2026-12-31').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('masks addresses and mobile numbers in failure reasons and cuts them short', () => {
    const reason =
      "EENVELOPE Can't send mail - all recipients were rejected: 550 5.1.1 <zhang.san@qq.com>: mailbox unavailable (sms 13812345678, order 213812345678)";
    expect(redactContacts(reason)).toBe(
      "EENVELOPE Can't send mail - all recipients were rejected: 550 5.1.1 <z***@qq.com>: mailbox unavailable (sms 138****5678, order 213812345678)",
    );
    expect(redactContacts('x'.repeat(600))).toHaveLength(500);
    expect(redactContacts('line one\r\n  line two')).toBe('line one line two');
  });

  it('masks e-mail addresses, fully when they are not one', () => {
    expect(maskEmail('zhang.san@qq.com')).toBe('z***@qq.com');
    expect(maskEmail('王@例子.中国')).toBe('王***@例子.中国');
    expect(maskEmail('nobody')).toBe('******');
    expect(maskEmail('@x.cn')).toBe('*****');
  });
});
