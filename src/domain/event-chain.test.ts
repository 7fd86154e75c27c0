import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  chainEvent,
  EMPTY_CHAIN,
  eventHash,
  GENESIS_HASH,
  HASHED_FIELDS,
  type LinkedEvent,
  type NewClaimEvent,
  verifyChain,
} from './event-chain.js';

const notify = (day: number): NewClaimEvent => ({
  claimId: 7,
  action: 'notify',
  from: { stage: 'people_mediation', status: 'awaiting_contact', hold: null },
  to: { stage: 'people_mediation', status: 'notified', hold: null },
  actor: { kind: 'system', id: null, name: 'system' },
  data: { b: 1, a: [2, { d: 3, c: 4 }] },
  at: new Date(Date.UTC(2026, 0, day)),
});

function chain(n: number): LinkedEvent[] {
  const events: LinkedEvent[] = [];
  for (let i = 1; i <= n; i++) events.push(chainEvent(events.at(-1), notify(i)));
  return events;
}

describe('event chain', () => {
  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: [{ f: 1, e: 2 }] } })).toBe('{"a":{"c":[{"e":2,"f":1}],"d":1},"b":1}');
  });

  it('hashes text as it is stored: a lone surrogate as the U+FFFD that UTF-8 storage keeps', () => {
    const event = chain(1)[0]!;
    const written = { ...event, reason: 'r \ud800 r', data: { note: '\udc00' } };
    const readBack = { ...event, reason: 'r \ufffd r', data: { note: '\ufffd' } };
    expect(eventHash(GENESIS_HASH, written)).toBe(eventHash(GENESIS_HASH, readBack));
  });

  it('verifies an intact chain', () => {
    const events = chain(5);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    expect(events[3]!.prevHash).toBe(events[2]!.hash);
    expect(verifyChain(events, events.at(-1)!)).toEqual({ valid: true });
  });

  it('hashes the canonical JSON of every field of the event but its link and row id', () => {
    const e = { ...chain(1)[0]!, id: 99 };
    const { id: _id, prevHash: _prev, hash: _hash, ...content } = e;
    const expected = createHash('sha256').update('prev').update('\n').update(canonicalJson(content)).digest('hex');
    expect(eventHash('prev', e)).toBe(expected);
    expect([...HASHED_FIELDS].sort()).toEqual(Object.keys(content).sort());
  });

  it('finds an edit, a gap and a relinked event', () => {
    const edited = chain(4);
    edited[2] = { ...edited[2]!, reason: 'changed' };
    expect(verifyChain(edited, edited.at(-1)!)).toMatchObject({ valid: false, brokenAtSeq: 3 });

    const gap = chain(4).filter((e) => e.seq !== 2);
    expect(verifyChain(gap, gap.at(-1)!)).toMatchObject({ valid: false, brokenAtSeq: 2 });

    const relinked = chain(3);
    relinked[1] = { ...relinked[1]!, prevHash: GENESIS_HASH };
    expect(verifyChain(relinked, relinked.at(-1)!)).toMatchObject({ valid: false, brokenAtSeq: 2 });
  });

  it('finds a cut-off tail against the head the claim recorded, and accepts an empty chain at the empty head', () => {
    const events = chain(4);
    const head = events.at(-1)!;
    expect(verifyChain(events.slice(0, 3), head)).toMatchObject({ valid: false, brokenAtSeq: 4 });
    expect(verifyChain([], head)).toMatchObject({ valid: false, brokenAtSeq: 1 });
    expect(verifyChain(events, { seq: 4, hash: events[2]!.hash })).toMatchObject({ valid: false, brokenAtSeq: 4 });
    expect(verifyChain([], EMPTY_CHAIN)).toEqual({ valid: true });
  });
});
