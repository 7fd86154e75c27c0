/**
 * What a room's stored frames say, read in the browser: the frames by seq (a frame replayed after a
 * reconnect or received twice is kept once), who is present, and each proposal with every party's
 * answer. Pure, so the pages of both sides read the room the same way.
 */
import type { Answer as ApiAnswer } from '../api/client';

export type RoomFrame = ApiAnswer<'getSessionsByIdMessages'>['items'][number];
/** A frame as the socket sends it: stored ones carry a seq; typing and error frames have none. */
export type WireFrame = Omit<RoomFrame, 'seq' | 'type'> & { seq: number | null; type: string };

export interface RoomLog {
  /** Stored frames in seq order, each once. */
  frames: RoomFrame[];
  lastSeq: number;
}

export const EMPTY_LOG: RoomLog = { frames: [], lastSeq: 0 };

/** The log with these stored frames added; frames it already holds are left out. */
export function withFrames(log: RoomLog, incoming: readonly RoomFrame[]): RoomLog {
  const known = new Set(log.frames.map((f) => f.seq));
  const fresh: RoomFrame[] = [];
  for (const f of incoming) {
    if (known.has(f.seq)) continue;
    known.add(f.seq);
    fresh.push(f);
  }
  if (fresh.length === 0) return log;
  const frames = [...log.frames, ...fresh].sort((a, b) => a.seq - b.seq);
  return { frames, lastSeq: frames.at(-1)!.seq };
}

const partyKey = (from: { role: string; name: string }) => `${from.role}:${from.name}`;

/** Everyone whose last presence frame is a join, in the order they came. */
export function presentParties(log: RoomLog): { role: string; name: string }[] {
  const present = new Map<string, { role: string; name: string }>();
  for (const f of log.frames) {
    if (f.type !== 'presence') continue;
    const key = partyKey(f.from);
    if (f.body.event === 'join') present.set(key, f.from);
    else present.delete(key);
  }
  return [...present.values()];
}

export interface PlanTerms {
  claimIds: number[];
  kind: 'lump_sum' | 'instalments';
  totalFen: number;
  instalments: { dueDate: string; amountFen: number }[];
  note?: string;
}

export type Answer = 'accept' | 'reject' | 'approve';

export interface Offer {
  seq: number;
  type: 'proposal' | 'counter';
  from: { role: string; name: string };
  at: string;
  terms: PlanTerms;
  needsApproval: boolean;
  hardship: boolean;
  /** Each party's latest answer. */
  answers: { debtor?: Answer; creditor?: Answer };
  /** A later proposal or counter replaced this one: it can no longer be answered. */
  superseded: boolean;
  agreed: boolean;
}

/** Every proposal and counter with the parties' answers, oldest first. */
export function offersOf(log: RoomLog): Offer[] {
  const offers: Offer[] = [];
  const bySeq = new Map<number, Offer>();
  for (const f of log.frames) {
    if (f.type === 'proposal' || f.type === 'counter') {
      const { needsApproval, hardship, ...terms } = f.body as unknown as PlanTerms & {
        needsApproval: boolean;
        hardship: boolean;
      };
      const last = offers.at(-1);
      if (last) last.superseded = true;
      const offer: Offer = {
        seq: f.seq,
        type: f.type,
        from: f.from,
        at: f.at,
        terms,
        needsApproval,
        hardship,
        answers: {},
        superseded: false,
        agreed: false,
      };
      offers.push(offer);
      bySeq.set(f.seq, offer);
    } else if (f.type === 'accept' || f.type === 'reject' || f.type === 'approve') {
      const offer = bySeq.get(f.body.proposalSeq as number);
      if (offer && (f.from.role === 'debtor' || f.from.role === 'creditor')) offer.answers[f.from.role] = f.type;
    } else if (f.type === 'system' && f.body.event === 'agreement') {
      const offer = bySeq.get(f.body.proposalSeq as number);
      if (offer) offer.agreed = true;
    }
  }
  return offers;
}

/** Chat frames from others after `seq`: what a room shown in a background tab counts as unread. */
export function unreadAfter(log: RoomLog, seq: number, me: { role: string; name: string }): number {
  const mine = partyKey(me);
  return log.frames.filter((f) => f.seq > seq && f.type === 'chat' && partyKey(f.from) !== mine).length;
}

/** The settlements whose agreements were generated in the room, in the order they were: each is then confirmed by the parties. */
export function agreementsOf(log: RoomLog): number[] {
  const ids: number[] = [];
  for (const f of log.frames) {
    if (f.type !== 'system' || f.body.event !== 'agreement_documents') continue;
    const id = Number(f.body.settlementId);
    if (Number.isSafeInteger(id) && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
