import { describe, expect, it } from 'vitest';
import { createTriage } from './triage.js';

describe('createTriage', () => {
  it('balances new debtors across 3 mediators with uneven start loads', () => {
    const t = createTriage([
      { id: 3, openCaseload: 2 },
      { id: 1, openCaseload: 5 },
      { id: 2, openCaseload: 0 },
    ]);
    const picks = Array.from({ length: 9 }, () => t.assign(null));
    // Mediator 2 catches up to 2 first; ties go to the lower id; mediator 1 joins at 5.
    expect(picks).toEqual([2, 2, 2, 3, 2, 3, 2, 3, 1]);
    const count = (id: number) => picks.filter((p) => p === id).length;
    expect([5 + count(1), 0 + count(2), 2 + count(3)]).toEqual([6, 5, 5]);
  });

  it('breaks ties by the lowest id', () => {
    const t = createTriage([
      { id: 9, openCaseload: 1 },
      { id: 4, openCaseload: 1 },
    ]);
    expect(t.assign(null)).toBe(4);
    expect(t.assign(null)).toBe(9);
  });

  it('keeps a debtor with the mediator already handling it, without adding to the load', () => {
    const t = createTriage([
      { id: 1, openCaseload: 50 },
      { id: 2, openCaseload: 0 },
    ]);
    expect(t.assign(1)).toBe(1);
    expect(t.assign(1)).toBe(1);
    expect(t.assign(null)).toBe(2);
    expect(t.assign(null)).toBe(2);
  });

  it('ignores an assignment to a mediator not in the list', () => {
    const t = createTriage([
      { id: 2, openCaseload: 3 },
      { id: 5, openCaseload: 1 },
    ]);
    expect(t.assign(7)).toBe(5);
  });

  it('returns null when there are no mediators', () => {
    expect(createTriage([]).assign(1)).toBeNull();
  });

  it('does not mutate its inputs and rejects bad loads', () => {
    const mediators = [{ id: 1, openCaseload: 0 }];
    createTriage(mediators).assign(null);
    expect(mediators[0]?.openCaseload).toBe(0);
    expect(() => createTriage([{ id: 1, openCaseload: -1 }])).toThrow(RangeError);
    expect(() =>
      createTriage([
        { id: 1, openCaseload: 0 },
        { id: 1, openCaseload: 2 },
      ]),
    ).toThrow(RangeError);
  });
});
