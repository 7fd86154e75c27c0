import { describe, expect, it } from 'vitest';
import { type ChainedEvent, canonicalJson, eventHash, GENESIS_HASH, verifyChain } from './event-chain.js';

const base = (seq: number): ChainedEvent => ({
  claimId: 7,
  seq,
  action: 'notify',
  fromStage: 'people_mediation',
  fromStatus: 'awaiting_contact',
  fromHold: null,
  toStage: 'people_mediation',
  toStatus: 'notified',
  toHold: null,
  actorKind: 'system',
  actorId: null,
  actorName: 'system',
  reason: null,
  data: { b: 1, a: [2, { d: 3, c: 4 }] },
  at: new Date(Date.UTC(2026, 0, seq)),
});

function chain(n: number) {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const e = base(i + 1);
    const hash = eventHash(prev, e);
    const out = { ...e, prevHash: prev, hash };
    prev = hash;
    return out;
  });
}

describe('event chain', () => {
  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: [{ f: 1, e: 2 }] } })).toBe('{"a":{"c":[{"e":2,"f":1}],"d":1},"b":1}');
  });

  it('verifies an intact chain', () => {
    expect(verifyChain(chain(5))).toEqual({ valid: true });
  });

  it('finds an edit, a gap and a relinked event', () => {
    const edited = chain(4);
    edited[2] = { ...edited[2]!, reason: 'changed' };
    expect(verifyChain(edited)).toMatchObject({ valid: false, brokenAtSeq: 3 });

    const gap = chain(4).filter((e) => e.seq !== 2);
    expect(verifyChain(gap)).toMatchObject({ valid: false, brokenAtSeq: 2 });

    const relinked = chain(3);
    relinked[1] = { ...relinked[1]!, prevHash: GENESIS_HASH };
    expect(verifyChain(relinked)).toMatchObject({ valid: false, brokenAtSeq: 2 });
  });
});
