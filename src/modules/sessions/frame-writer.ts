/**
 * Appending frames inside one transaction: seq is the session's last stored seq plus one, read once
 * per transaction (or known from the last commit) and counted on in memory. SQLite runs one write
 * transaction at a time and every frame of a live room is written through a writer of this process
 * (one process serves a database's sessions), so the count cannot race. The one exception is the
 * `ended` frame of the job closing a session left live past its end (close-past-end.ts), written
 * from the database's seq: a group of the hub's that collides with it is not stored (its senders
 * resend), and the hub reads its rooms' seqs again then and when it finds the session ended.
 *
 * For the same reason a sender's client id is kept unique here rather than by a unique index: an
 * index keyed by session dirties a page of its own for nearly every frame, which doubled what each
 * commit writes. The writer asks `priorSeq` (the hub's memory of an open room, or the database) and
 * remembers the ids appended in its own transaction.
 */
import type { FrameRow, NewFrameRow, SessionFrameStatements } from '../../db/session-frames.js';
import type { FrameFrom, FrameType, SessionFrame } from './frames.js';

export interface StoredFrame extends SessionFrame {
  sessionId: number;
  /** The frame as sent on the socket, serialised once for every receiver. */
  wire: string;
}

export interface NewFrame {
  type: FrameType;
  clientId: string | null;
  /** Who sent it (`user:1`, `debtor:7`, `system`): a client id is unique per sender. */
  senderKey: string;
  from: FrameFrom;
  body: Record<string, unknown>;
}

// The frames of one flush share their millisecond: its ISO form is worked out once.
let isoMs = NaN;
let iso = '';
const isoAt = (ms: number) => {
  if (ms !== isoMs) {
    isoMs = ms;
    iso = new Date(ms).toISOString();
  }
  return iso;
};

/** The wire form of a stored row, built around the body text as stored. */
export function wireOf(row: FrameRow): string {
  return `{"type":${JSON.stringify(row.type)},"seq":${row.seq},"id":${JSON.stringify(row.clientId)},"from":{"role":${JSON.stringify(row.fromRole)},"name":${JSON.stringify(row.fromName)}},"at":"${isoAt(row.at)}","body":${row.body}}`;
}

/** A stored row as a frame. */
export function frameOf(sessionId: number, row: FrameRow): StoredFrame {
  return {
    sessionId,
    type: row.type as FrameType,
    seq: row.seq,
    id: row.clientId,
    from: { role: row.fromRole as FrameFrom['role'], name: row.fromName },
    at: isoAt(row.at),
    body: JSON.parse(row.body) as Record<string, unknown>,
    wire: wireOf(row),
  };
}

export interface WriterMark {
  appended: number;
  next: Map<number, number>;
}

/** The seq a sender's frame with this client id was committed under, if any. */
export type PriorSeq = (sessionId: number, senderKey: string, clientId: string) => number | undefined;

/** One key for a sender's client id in a session. */
export const clientKey = (sessionId: number, senderKey: string, clientId: string) =>
  `${sessionId}\n${senderKey}\n${clientId}`;

/** A 30-bit FNV-1a hash of a client key: a small integer, held without an object of its own. */
export function clientKeyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
}

export class FrameWriter {
  /** Frames appended in this transaction, in seq order per session: broadcast them after commit. */
  readonly appended: StoredFrame[] = [];
  /** Next seq per session written in this transaction. */
  readonly next = new Map<number, number>();

  constructor(
    private readonly statements: SessionFrameStatements,
    /** Where rows go: the app's connection inside its transaction, or a batch for the frame store thread. */
    private readonly insert: (row: NewFrameRow) => void,
    private readonly now: () => Date,
    private readonly priorSeq: PriorSeq,
    /** The last committed seq of a session, when known without a query. */
    private readonly knownLastSeq: (sessionId: number) => number | undefined = () => undefined,
  ) {}

  /** Client ids appended in this transaction: key → frame (the frames are in `appended` too). */
  private readonly ids = new Map<string, StoredFrame>();

  /** Append a frame; one with a client id must be new for its sender (see `appendOnce`). */
  append(sessionId: number, f: NewFrame): StoredFrame {
    const seq = this.next.get(sessionId) ?? (this.knownLastSeq(sessionId) ?? this.statements.maxSeq(sessionId)) + 1;
    // One object for the insert and the wire form: this runs for every chat frame.
    const row: NewFrameRow = {
      sessionId,
      seq,
      type: f.type,
      clientId: f.clientId,
      senderKey: f.senderKey,
      fromRole: f.from.role,
      fromName: f.from.name,
      body: JSON.stringify(f.body),
      at: this.now().getTime(),
    };
    this.insert(row);
    this.next.set(sessionId, seq + 1);
    const frame: StoredFrame = {
      sessionId,
      type: f.type,
      seq,
      id: f.clientId,
      from: f.from,
      at: isoAt(row.at),
      body: f.body,
      wire: wireOf(row),
    };
    this.appended.push(frame);
    if (f.clientId !== null) this.ids.set(clientKey(sessionId, f.senderKey, f.clientId), frame);
    return frame;
  }

  /** Append a client's frame unless the sender stored one under its id before: then the original, marked as a repeat. */
  appendOnce(sessionId: number, f: NewFrame & { clientId: string }): { frame: StoredFrame; repeat: boolean } {
    const original = this.existing(sessionId, f.senderKey, f.clientId);
    return original ? { frame: original, repeat: true } : { frame: this.append(sessionId, f), repeat: false };
  }

  /** The frame this sender stored under this client id before, if any. */
  existing(sessionId: number, senderKey: string, clientId: string): StoredFrame | undefined {
    const mine = this.ids.get(clientKey(sessionId, senderKey, clientId));
    if (mine) return mine;
    const seq = this.priorSeq(sessionId, senderKey, clientId);
    const row = seq === undefined ? undefined : this.statements.bySeq(sessionId, seq);
    return row ? frameOf(sessionId, row) : undefined;
  }

  /** The client ids this transaction appended, for the hub to remember once it has committed. */
  appendedIds(): IterableIterator<[string, StoredFrame]> {
    return this.ids.entries();
  }

  /** Where to come back to when a savepoint rolls back. */
  mark(): WriterMark {
    return { appended: this.appended.length, next: new Map(this.next) };
  }

  reset(mark: WriterMark): void {
    const undone = new Set(this.appended.slice(mark.appended));
    for (const [key, frame] of this.ids) if (undone.has(frame)) this.ids.delete(key);
    this.appended.length = mark.appended;
    this.next.clear();
    for (const [k, v] of mark.next) this.next.set(k, v);
  }
}
