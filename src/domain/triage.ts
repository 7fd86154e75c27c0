// Assignment of imported claims to mediators. One debtor talks to one mediator, so all of a debtor's
// claims with a creditor go together; new debtors go to whoever has the fewest open cases.

export type MediatorLoad = { id: number; openCaseload: number };

export type Triage = {
  /**
   * The mediator for a debtor's claim, given the mediator already handling this debtor's open claims
   * with the creditor (or null); null when there are no mediators.
   */
  assign(current: number | null): number | null;
};

/**
 * Creates a stateful assigner for one batch. Caseload counts debtors: a debtor's further claims join
 * the same mediator without adding to the load. The caller looks up `current` (in the database,
 * where a batch's earlier claims are visible inside its transaction), so memory stays flat however
 * many debtors a batch holds. Inputs are copied, never mutated.
 */
export function createTriage(mediators: readonly MediatorLoad[]): Triage {
  const load = new Map<number, number>();
  for (const m of mediators) {
    if (!Number.isSafeInteger(m.openCaseload) || m.openCaseload < 0) {
      throw new RangeError(`openCaseload must be a non-negative integer: ${m.openCaseload}`);
    }
    if (load.has(m.id)) throw new RangeError(`mediator ${m.id} is listed twice`);
    load.set(m.id, m.openCaseload);
  }

  function leastLoaded(): number | null {
    let best: { id: number; n: number } | null = null;
    for (const [id, n] of load) if (!best || n < best.n || (n === best.n && id < best.id)) best = { id, n };
    return best?.id ?? null;
  }

  return {
    assign(current: number | null): number | null {
      // An assignment to a mediator not in this list (e.g. one who left) is not honoured.
      if (current !== null && load.has(current)) return current;
      const id = leastLoaded();
      if (id === null) return null;
      load.set(id, (load.get(id) ?? 0) + 1);
      return id;
    },
  };
}
