/**
 * The raw building block the lifecycle benches compare with: one claim's step written with bare
 * prepared statements — the transition decided by the same table, the event hashed by the same
 * chain function, the claim row updated under its version — and the court case a step opens.
 */
import type Database from 'better-sqlite3';
import { formatCaseNumber } from '../../src/domain/case-numbers.js';
import { shanghaiDate } from '../../src/domain/dates.js';
import { chainEvent } from '../../src/domain/event-chain.js';
import type { HolidayCalendar } from '../../src/domain/holiday-calendar.js';
import { type Actor, type ClaimState, transition } from '../../src/domain/lifecycle.js';

export type RawClaim = ClaimState & { id: number; version: number; courtOrgId: number };
export type ChainHead = { seq: number; hash: string };

export function rawClaimWriter(sqlite: Database.Database, calendar: HolidayCalendar, actor: Actor, now: Date) {
  const update = sqlite.prepare(
    'update claims set stage = ?, status = ?, stage_deadline = ?, version = ?, chain_seq = ?, chain_hash = ?, updated_at = ? where id = ? and version = ?',
  );
  const event = sqlite.prepare(
    `insert into claim_events (claim_id, seq, action, from_stage, from_status, from_hold, to_stage, to_status, to_hold,
       actor_kind, actor_id, actor_name, reason, data, at, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const lastSerial = sqlite.prepare(
    'select max(serial) serial from court_cases where court_org_id = ? and kind = ? and year = ?',
  );
  const insertCase = sqlite.prepare(
    `insert into court_cases (claim_id, court_org_id, kind, case_no, year, serial, status, filed_on, created_at)
     values (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
  );
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));

  return {
    /** One step of the claim from its chain head: the event row written; answers the claim and head after it. */
    step(claim: RawClaim, action: string, head: ChainHead, reason: string, data: Record<string, unknown> = {}) {
      const r = transition(
        { ...claim, enforceableTitle: false, creditListing: false, litigationAllowed: true },
        action,
        actor,
        now,
        { calendar },
      );
      if (!r.ok) throw new Error(r.error.detail);
      const e = chainEvent(head, {
        claimId: claim.id,
        action,
        from: r.event.from,
        to: r.event.to,
        actor,
        reason,
        data:
          r.event.deadline || Object.keys(data).length
            ? { ...(r.event.deadline ? { deadline: r.event.deadline } : {}), ...data }
            : null,
        at: now,
      });
      event.run(
        e.claimId,
        e.seq,
        e.action,
        e.fromStage,
        e.fromStatus,
        e.fromHold,
        e.toStage,
        e.toStatus,
        e.toHold,
        e.actorKind,
        e.actorId,
        e.actorName,
        e.reason,
        e.data ? JSON.stringify(e.data) : null,
        now.getTime(),
        e.prevHash,
        e.hash,
      );
      return { claim: { ...claim, ...r.claim }, head: { seq: e.seq, hash: e.hash } };
    },

    /** A court case of `kind` for the claim: numbered with the court's next serial, or pending without one. */
    openCase(claim: RawClaim, kind: 'pre_litigation_mediation' | 'first_instance', courtCode: string | null) {
      let caseNo: string | null = null;
      let serial: number | null = null;
      if (courtCode) {
        serial = ((lastSerial.get(claim.courtOrgId, kind, year) as { serial: number | null }).serial ?? 0) + 1;
        caseNo = formatCaseNumber({ year, courtCode, kind, serial });
      }
      const id = insertCase.run(
        claim.id,
        claim.courtOrgId,
        kind,
        caseNo,
        courtCode ? year : null,
        serial,
        today,
        now.getTime(),
      ).lastInsertRowid as number;
      return { courtCaseId: id, caseNo };
    },

    /** The claim row after its steps, under the version it was read at. */
    save(claim: RawClaim, steps: number, head: ChainHead) {
      update.run(
        claim.stage,
        claim.status,
        claim.stageDeadline,
        claim.version + steps,
        head.seq,
        head.hash,
        now.getTime(),
        claim.id,
        claim.version,
      );
    },
  };
}
