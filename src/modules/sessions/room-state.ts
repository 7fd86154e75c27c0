/**
 * What the hub knows of each open room besides its connections: the last committed seq, the client
 * ids already stored and the session's status, each read once when first needed, so that a frame is
 * checked without a query. A room's knowledge is forgotten when its last connection closes.
 */
import type { SessionFrameStatements } from '../../db/session-frames.js';
import type { Connection } from './connection.js';
import { clientKey, clientKeyHash, type FrameWriter, type PriorSeq } from './frame-writer.js';
import type { PartyRole } from './frames.js';

export class RoomState {
  /** The connections of each open room. */
  readonly rooms = new Map<number, Set<Connection>>();
  // The last committed seq of each open room: saves a query per room and flush.
  private readonly lastSeqs = new Map<number, number>();
  // A room keeps every client id it has stored, so they are kept as hashes (small integers, no object
  // each): as strings, 300,000 ids after a minute of the bench's load doubled the longest major GC
  // pause and with it the worst seconds of every room.
  private readonly clientSeqs = new Map<number, Map<number, number>>();
  // Changes in the hub's `commit` (start, end), which forgets them all, or elsewhere (a job ending a
  // session left live), which the hub's sweep of ended rooms finds.
  private readonly statuses = new Map<number, string | null>();

  constructor(private readonly statements: SessionFrameStatements) {}

  /** Add a connection to its room, opening the room if it is the first. */
  add(conn: Connection): Set<Connection> {
    const id = conn.participant.sessionId;
    let room = this.rooms.get(id);
    if (!room) {
      room = new Set();
      this.rooms.set(id, room);
    }
    room.add(conn);
    return room;
  }

  /** Take a connection out of its room; the last one out closes the room and forgets what it knew. */
  remove(conn: Connection, room: Set<Connection>): void {
    room.delete(conn);
    const id = conn.participant.sessionId;
    if (room.size === 0 && this.rooms.get(id) === room) {
      this.rooms.delete(id);
      this.lastSeqs.delete(id);
      this.clientSeqs.delete(id);
      this.statuses.delete(id);
    }
  }

  /** The stored client ids of an open room (as hashes) with their seqs, read on first use. */
  clientSeqsOf(sessionId: number): Map<number, number> {
    let seqs = this.clientSeqs.get(sessionId);
    if (!seqs) {
      seqs = new Map(
        this.statements
          .clientIds(sessionId)
          .map((r) => [clientKeyHash(clientKey(sessionId, r.senderKey, r.clientId)), r.seq]),
      );
      this.clientSeqs.set(sessionId, seqs);
    }
    return seqs;
  }

  /** The seq of the frame a sender stored under a client id, if any: for an open room, without a query when it is new. */
  readonly priorSeq: PriorSeq = (sessionId, senderKey, clientId) => {
    if (!this.rooms.has(sessionId)) return this.statements.byClient(sessionId, senderKey, clientId)?.seq;
    const seq = this.clientSeqsOf(sessionId).get(clientKeyHash(clientKey(sessionId, senderKey, clientId)));
    if (seq === undefined) return undefined;
    // Two ids may share a hash: the frame found must be this sender's under this id.
    return this.statements.isClientFrame(sessionId, seq, senderKey, clientId)
      ? seq
      : this.statements.byClient(sessionId, senderKey, clientId)?.seq;
  };

  /** The last committed seq of an open room, when known. */
  readonly lastSeqOf = (sessionId: number): number | undefined => this.lastSeqs.get(sessionId);

  /** The session's status; read once for an open room. */
  statusOf(sessionId: number): string | null | undefined {
    if (!this.rooms.has(sessionId)) return this.statements.sessionStatus(sessionId);
    if (!this.statuses.has(sessionId)) this.statuses.set(sessionId, this.statements.sessionStatus(sessionId));
    return this.statuses.get(sessionId);
  }

  /**
   * A frame this process did not write may follow the last seq known (another process or a job thread
   * ended the session): read the rooms' last seqs and statuses from the database again.
   */
  forgetSeqs(): void {
    this.lastSeqs.clear();
    this.statuses.clear();
  }

  /** A transaction may change statuses (start, end): read them again after it. */
  forgetStatuses(): void {
    this.statuses.clear();
  }

  /** After commit: what the writer wrote is now the rooms' last seq and known client ids. */
  committed(w: FrameWriter): void {
    for (const [id, next] of w.next) if (this.rooms.has(id)) this.lastSeqs.set(id, next - 1);
    for (const [key, frame] of w.appendedIds())
      this.clientSeqs.get(frame.sessionId)?.set(clientKeyHash(key), frame.seq);
  }

  /** Who is connected to a session now (one entry per participant). */
  present(sessionId: number): { role: PartyRole; name: string }[] {
    const seen = new Map<string, { role: PartyRole; name: string }>();
    for (const c of this.rooms.get(sessionId) ?? [])
      if (c.live) seen.set(c.participant.key, { role: c.participant.role, name: c.participant.name });
    return [...seen.values()];
  }
}

/** Whether a participant (by sender key) has a live connection in the room other than `except`. */
export function hasLive(room: Set<Connection> | undefined, key: string, except: Connection | null): boolean {
  if (room) for (const c of room) if (c !== except && c.live && c.participant.key === key) return true;
  return false;
}
