import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocatePayment, componentsLeft, enforceableComponents, sumComponents } from './payment-allocation.js';

const left = { costs: 5_000, interest: 20_000, principal: 100_000 };

describe('payment allocation (Civil Code arts 560, 561)', () => {
  it('pays costs, then interest, then principal', () => {
    expect(allocatePayment({ amountFen: 3_000, left, dueFen: null, instalments: [] }).applied).toEqual({
      costs: 3_000,
      interest: 0,
      principal: 0,
    });
    expect(allocatePayment({ amountFen: 30_000, left, dueFen: null, instalments: [] }).applied).toEqual({
      costs: 5_000,
      interest: 20_000,
      principal: 5_000,
    });
  });

  it("follows the agreement's order when the parties agreed one", () => {
    const r = allocatePayment({
      amountFen: 30_000,
      left,
      dueFen: null,
      instalments: [],
      order: ['principal', 'interest', 'costs'],
    });
    expect(r.applied).toEqual({ costs: 0, interest: 0, principal: 30_000 });
    expect(() =>
      allocatePayment({
        amountFen: 1,
        left,
        dueFen: null,
        instalments: [],
        order: ['principal', 'principal'] as never,
      }),
    ).toThrow(RangeError);
  });

  it('fills instalments oldest first, whatever order they come in', () => {
    const r = allocatePayment({
      amountFen: 15_000,
      left,
      dueFen: 60_000,
      instalments: [
        { id: 3, dueDate: '2027-01-20', leftFen: 20_000 },
        { id: 1, dueDate: '2026-11-20', leftFen: 10_000 },
        { id: 2, dueDate: '2026-12-20', leftFen: 20_000 },
      ],
    });
    expect(r.instalments).toEqual([
      { id: 1, fen: 10_000 },
      { id: 2, fen: 5_000 },
    ]);
    expect(r.settled).toBe(false);
  });

  it('keeps and flags what is paid beyond a settled amount', () => {
    const r = allocatePayment({
      amountFen: 70_000,
      left,
      dueFen: 60_000,
      instalments: [{ id: 1, dueDate: '2026-11-20', leftFen: 60_000 }],
    });
    expect(r).toMatchObject({ overpaidFen: 10_000, settled: true, instalments: [{ id: 1, fen: 60_000 }] });
    expect(sumComponents(r.applied)).toBe(60_000);
  });

  it('takes the part above the legal cap off interest first, never off principal', () => {
    expect(
      enforceableComponents({ principalFen: 100, interestFen: 30, penaltyFen: 10, feesFen: 20, aboveCapFen: 50 }),
    ).toEqual({ costs: 10, interest: 0, principal: 100 });
  });

  it('counts earlier payments off each component', () => {
    expect(componentsLeft(left, [{ costs: 5_000, interest: 1_000, principal: 0 }])).toEqual({
      costs: 0,
      interest: 19_000,
      principal: 100_000,
    });
  });

  it('refuses a payment of nothing', () => {
    expect(() => allocatePayment({ amountFen: 0, left, dueFen: null, instalments: [] })).toThrow(RangeError);
  });

  it('never loses a fen: applied plus overpaid is the payment, instalments get what was applied', () => {
    const comp = fc.record({
      costs: fc.nat(1e7),
      interest: fc.nat(1e7),
      principal: fc.nat(1e8),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2e8 }), comp, fc.option(fc.nat(2e8)), (amountFen, l, due) => {
        const owed = Math.min(sumComponents(l), due ?? Number.POSITIVE_INFINITY);
        const r = allocatePayment({
          amountFen,
          left: l,
          dueFen: due,
          instalments: [{ id: 1, dueDate: '2026-01-01', leftFen: owed }],
        });
        const applied = sumComponents(r.applied);
        expect(applied + r.overpaidFen).toBe(amountFen);
        expect(applied).toBeLessThanOrEqual(owed);
        expect(r.instalments.reduce((s, i) => s + i.fen, 0)).toBe(applied);
        for (const k of ['costs', 'interest', 'principal'] as const) expect(r.applied[k]).toBeLessThanOrEqual(l[k]);
      }),
    );
  });
});
