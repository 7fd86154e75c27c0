import { describe, expect, it } from 'vitest';
import { invitationText } from './invitation.js';
import { outsideQuietHours } from './schedule-sessions.js';

describe('scheduling helpers', () => {
  it('moves a slot in quiet hours (22:00–08:00 Shanghai) to the next 08:00 and leaves others alone', () => {
    const at = (iso: string) => outsideQuietHours(new Date(iso)).toISOString();
    expect(at('2026-11-20T02:00:00.000Z')).toBe('2026-11-20T02:00:00.000Z'); // 10:00
    expect(at('2026-11-20T13:59:00.000Z')).toBe('2026-11-20T13:59:00.000Z'); // 21:59
    expect(at('2026-11-20T14:00:00.000Z')).toBe('2026-11-21T00:00:00.000Z'); // 22:00 → 08:00 next day
    expect(at('2026-11-20T22:30:00.000Z')).toBe('2026-11-21T00:00:00.000Z'); // 06:30 → 08:00 that day
  });

  it('invites in Beijing time with the mode and the portal link, naming nothing personal', () => {
    expect(invitationText('示例小贷', 'video', new Date('2026-11-23T06:30:00.000Z'), 'https://m.example')).toBe(
      '【调解邀请】您与示例小贷的借款纠纷定于2026年11月23日 14:30（北京时间）进行视频调解，请登录 https://m.example/portal/ 查看并参加。',
    );
  });
});
