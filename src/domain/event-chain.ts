/**
 * Claim events are evidence, so each one carries a hash over its content and the previous event's
 * hash: editing or deleting any stored event breaks every hash after it.
 */
import { createHash } from 'node:crypto';
import type { ActorKind } from './lifecycle.js';

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
  actorKind: ActorKind;
  actorId: number | null;
  actorName: string;
  reason: string | null;
  data: Record<string, unknown> | null;
  at: Date;
}

/** JSON with keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  // Strings as SQLite stores them (a lone surrogate becomes U+FFFD), so the hash matches what is read back.
  if (typeof value === 'string') return JSON.stringify(value.toWellFormed());
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
    out += `${(first ? '' : ',') + JSON.stringify(k.toWellFormed())}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** The fields an event's hash covers, in sorted order: the canonical JSON of an event holds them so. */
export const HASHED_FIELDS = [
  'action',
  'actorId',
  'actorKind',
  'actorName',
  'at',
  'claimId',
  'data',
  'fromHold',
  'fromStage',
  'fromStatus',
  'reason',
  'seq',
  'toHold',
  'toStage',
  'toStatus',
] as const satisfies readonly (keyof ChainedEvent)[];

export function eventHash(prevHash: string, event: ChainedEvent): string {
  // canonicalJson of the hashed fields alone, written out directly: this runs for every imported row.
  let content = '{';
  for (const key of HASHED_FIELDS) {
    const v = event[key];
    if (v === undefined) continue;
    content += `${content.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  content += '}';
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** A claim event as a change describes it, before it takes its place in the claim's chain. */
export interface NewClaimEvent {
  claimId: number;
  action: string;
  from: { stage: string; status: string; hold: string | null };
  to: { stage: string; status: string; hold: string | null };
  actor: { kind: ActorKind; id: number | null; name: string };
  reason?: string | null;
  data?: Record<string, unknown> | null;
  at: Date;
}

/** The event a claim's chain ends with, which the next one follows. */
export interface ChainLink {
  seq: number;
  hash: string;
}

export type LinkedEvent = ChainedEvent & { prevHash: string; hash: string };

/** The event that follows `last` in its claim's chain (`last` null: the claim's first), numbered, linked and hashed. */
export function chainEvent(last: ChainLink | null | undefined, e: NewClaimEvent): LinkedEvent {
  const prevHash = last?.hash ?? GENESIS_HASH;
  const event: LinkedEvent = {
    claimId: e.claimId,
    seq: (last?.seq ?? 0) + 1,
    action: e.action,
    fromStage: e.from.stage,
    fromStatus: e.from.status,
    fromHold: e.from.hold,
    toStage: e.to.stage,
    toStatus: e.to.status,
    toHold: e.to.hold,
    actorKind: e.actor.kind,
    actorId: e.actor.id,
    actorName: e.actor.name,
    reason: e.reason ?? null,
    data: e.data ?? null,
    at: e.at,
    prevHash,
    hash: '',
  };
  event.hash = eventHash(prevHash, event);
  return event;
}

export type ChainCheck = { valid: true } | { valid: false; brokenAtSeq: number; detail: string };

/** The head of a chain that has no events yet. */
export const EMPTY_CHAIN: ChainLink = { seq: 0, hash: GENESIS_HASH };

/**
 * Check a claim's events, given in seq order: numbering, links and hashes, and that they end at
 * `head`, the last event the claim row recorded (the links alone cannot show a cut-off tail).
 */
export function verifyChain(events: readonly LinkedEvent[], head: ChainLink): ChainCheck {
  let prev = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1) return { valid: false, brokenAtSeq: i + 1, detail: `Event ${i + 1} is missing.` };
    if (e.prevHash !== prev)
      return { valid: false, brokenAtSeq: e.seq, detail: `Event ${e.seq} does not link to the event before it.` };
    if (eventHash(prev, e) !== e.hash)
      return { valid: false, brokenAtSeq: e.seq, detail: `Event ${e.seq} was altered after it was written.` };
    prev = e.hash;
  }
  const last = events.at(-1) ?? EMPTY_CHAIN;
  if (last.seq < head.seq)
    return {
      valid: false,
      brokenAtSeq: last.seq + 1,
      detail: `The claim records ${head.seq} events but only ${last.seq} remain: the last ones were deleted.`,
    };
  if (last.seq !== head.seq || last.hash !== head.hash)
    return {
      valid: false,
      brokenAtSeq: last.seq,
      detail: `Event ${last.seq} is not the last event the claim recorded.`,
    };
  return { valid: true };
}
