/**
 * Claim events are evidence, so each one carries a hash over its content and the previous event's
 * hash: editing or deleting any stored event breaks every hash after it.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  claimId: number;
  seq: number;
  action: string;
  fromStage: string;
  fromStatus: string;
  fromHold: string | null;
  toStage: string;
  toStatus: string;
  toHold: string | null;
  actorKind: string;
  actorId: number | null;
  actorName: string;
  reason: string | null;
  data: Record<string, unknown> | null;
  at: Date;
}

/** JSON with keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  // A plain loop: this runs for every event of every imported row.
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${(first ? '' : ',') + JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

export function eventHash(prevHash: string, event: ChainedEvent): string {
  const {
    claimId,
    seq,
    action,
    fromStage,
    fromStatus,
    fromHold,
    toStage,
    toStatus,
    toHold,
    actorKind,
    actorId,
    actorName,
    reason,
    data,
    at,
  } = event;
  const content = canonicalJson({
    claimId,
    seq,
    action,
    fromStage,
    fromStatus,
    fromHold,
    toStage,
    toStatus,
    toHold,
    actorKind,
    actorId,
    actorName,
    reason,
    data,
    at,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export type ChainCheck = { valid: true } | { valid: false; brokenAtSeq: number; detail: string };

/** Check a claim's events, given in seq order: numbering, links and hashes. */
export function verifyChain(events: readonly (ChainedEvent & { prevHash: string; hash: string })[]): ChainCheck {
  let prev = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1) return { valid: false, brokenAtSeq: i + 1, detail: `Event ${i + 1} is missing.` };
    if (e.prevHash !== prev)
      return { valid: false, brokenAtSeq: e.seq, detail: `Event ${e.seq} does not link to the event before it.` };
    if (eventHash(prev, e) !== e.hash)
      return { valid: false, brokenAtSeq: e.seq, detail: `Event ${e.seq} was altered after it was written.` };
    prev = e.hash;
  }
  return { valid: true };
}
