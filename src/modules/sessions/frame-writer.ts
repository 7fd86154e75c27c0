/**
 * Appending frames inside one transaction: seq is the session's last stored seq plus one, read once
 * per transaction (or known from the last commit) and counted on in memory. SQLite runs one write
 * transaction at a time and every frame is written through a writer of this process (one process
 * serves a database's sessions), so the count cannot race.
 */
import type { FrameRow, SessionFrameStatements } from '../../db/session-frames.js';
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

/** The wire form of a stored row, built around the body text as stored. */
export function wireOf(row: FrameRow): string {
  return `{"type":${JSON.stringify(row.type)},"seq":${row.seq},"id":${JSON.stringify(row.clientId)},"from":${JSON.stringify({ role: row.fromRole, name: row.fromName })},"at":"${new Date(row.at).toISOString()}","body":${row.body}}`;
}

/** A stored row as a frame. */
export function frameOf(sessionId: number, row: FrameRow): StoredFrame {
  return {
    sessionId,
    type: row.type as FrameType,
    seq: row.seq,
    id: row.clientId,
    from: { role: row.fromRole as FrameFrom['role'], name: row.fromName },
    at: new Date(row.at).toISOString(),
    body: JSON.parse(row.body) as Record<string, unknown>,
    wire: wireOf(row),
  };
}

export interface WriterMark {
  appended: number;
  next: Map<number, number>;
}

export class FrameWriter {
  /** Frames appended in this transaction, in seq order per session: broadcast them after commit. */
  readonly appended: StoredFrame[] = [];
  /** Next seq per session written in this transaction. */
  readonly next = new Map<number, number>();

  constructor(
    private readonly statements: SessionFrameStatements,
    private readonly now: () => Date,
    /** The last committed seq of a session, when known without a query. */
    private readonly knownLastSeq: (sessionId: number) => number | undefined = () => undefined,
  ) {}

  private build(sessionId: number, f: NewFrame) {
    const seq = this.next.get(sessionId) ?? (this.knownLastSeq(sessionId) ?? this.statements.maxSeq(sessionId)) + 1;
    const row: FrameRow = { seq, type: f.type, clientId: f.clientId, fromRole: f.from.role, fromName: f.from.name, body: JSON.stringify(f.body), at: this.now().getTime() };
    return { seq, row };
  }

  private stored(sessionId: number, seq: number, row: FrameRow, f: NewFrame): StoredFrame {
    this.next.set(sessionId, seq + 1);
    const frame: StoredFrame = { sessionId, type: f.type, seq, id: f.clientId, from: f.from, at: new Date(row.at).toISOString(), body: f.body, wire: wireOf(row) };
    this.appended.push(frame);
    return frame;
  }

  append(sessionId: number, f: NewFrame): StoredFrame {
    const { seq, row } = this.build(sessionId, f);
    this.statements.insert({ ...row, sessionId, senderKey: f.senderKey });
    return this.stored(sessionId, seq, row, f);
  }

  /**
   * Append a client's frame unless the sender stored one under its id before: then the original,
   * marked as a repeat. One statement for the usual case, where the id is new.
   */
  appendOnce(sessionId: number, f: NewFrame & { clientId: string }): { frame: StoredFrame; repeat: boolean } {
    const { seq, row } = this.build(sessionId, f);
    if (this.statements.insertNew({ ...row, sessionId, senderKey: f.senderKey })) return { frame: this.stored(sessionId, seq, row, f), repeat: false };
    return { frame: this.existing(sessionId, f.senderKey, f.clientId)!, repeat: true };
  }

  /** The frame this sender stored under this client id before, if any. */
  existing(sessionId: number, senderKey: string, clientId: string): StoredFrame | undefined {
    const row = this.statements.byClient(sessionId, senderKey, clientId);
    return row ? frameOf(sessionId, row) : undefined;
  }

  /** Where to come back to when a savepoint rolls back. */
  mark(): WriterMark {
    return { appended: this.appended.length, next: new Map(this.next) };
  }

  reset(mark: WriterMark): void {
    this.appended.length = mark.appended;
    this.next.clear();
    for (const [k, v] of mark.next) this.next.set(k, v);
  }
}
