import { describe, expect, it } from 'vitest';
import { agreementsOf, EMPTY_LOG, offersOf, presentParties, type RoomFrame, unreadAfter, withFrames } from './log';

const at = '2026-12-07T06:00:00.000Z';
const debtor = { role: 'debtor', name: '张三' };
const creditor = { role: 'creditor', name: '李四' };
const mediator = { role: 'mediator', name: '王五' };
const frame = (seq: number, type: RoomFrame['type'], from: RoomFrame['from'], body: RoomFrame['body']): RoomFrame => ({
  seq,
  type,
  id: `f${seq}`,
  from,
  at,
  body,
});
const plan = {
  claimIds: [1],
  kind: 'lump_sum',
  totalFen: 100_00,
  instalments: [{ dueDate: '2026-12-20', amountFen: 100_00 }],
};

describe('a room log read in the browser', () => {
  it('keeps each stored frame once, in seq order, whatever order and repeats they come in', () => {
    const a = frame(1, 'chat', debtor, { text: '一' });
    const b = frame(2, 'chat', mediator, { text: '二' });
    const c = frame(3, 'chat', debtor, { text: '三' });
    const log = withFrames(withFrames(EMPTY_LOG, [b, a]), [a, c, b]);
    expect(log.frames.map((f) => f.seq)).toEqual([1, 2, 3]);
    expect(log.lastSeq).toBe(3);
    expect(withFrames(log, [a])).toBe(log);
    expect(unreadAfter(log, 1, mediator)).toBe(1);
  });

  it('follows presence and each party’s answer; a later proposal supersedes, an agreement closes', () => {
    const log = withFrames(EMPTY_LOG, [
      frame(1, 'presence', debtor, { event: 'join' }),
      frame(2, 'presence', creditor, { event: 'join' }),
      frame(3, 'proposal', mediator, { ...plan, needsApproval: true, hardship: false }),
      frame(4, 'reject', debtor, { proposalSeq: 3 }),
      frame(5, 'presence', creditor, { event: 'leave' }),
      frame(6, 'counter', debtor, { ...plan, answers: 3, needsApproval: false, hardship: false }),
      frame(7, 'accept', debtor, { proposalSeq: 6 }),
      frame(8, 'accept', creditor, { proposalSeq: 6 }),
      frame(9, 'system', { role: 'system', name: '系统' }, { event: 'agreement', proposalSeq: 6 }),
    ]);
    expect(presentParties(log)).toEqual([debtor]);
    const [first, second] = offersOf(log);
    expect(first).toMatchObject({ seq: 3, needsApproval: true, superseded: true, answers: { debtor: 'reject' } });
    expect(second).toMatchObject({
      seq: 6,
      type: 'counter',
      superseded: false,
      agreed: true,
      answers: { debtor: 'accept', creditor: 'accept' },
    });
  });

  it('lists the settlements whose agreements were generated, once each, for the parties to confirm', () => {
    const system = { role: 'system', name: '系统' };
    const log = withFrames(EMPTY_LOG, [
      frame(1, 'system', system, { event: 'agreement', settlementId: 7 }),
      frame(2, 'system', system, { event: 'agreement_documents', settlementId: 7, documents: [] }),
      frame(3, 'chat', debtor, { text: '好的' }),
      frame(4, 'system', system, { event: 'agreement_documents', settlementId: 7, documents: [] }),
    ]);
    expect(agreementsOf(log)).toEqual([7]);
    expect(agreementsOf(EMPTY_LOG)).toEqual([]);
  });
});
