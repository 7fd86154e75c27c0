/**
 * Live session rooms: the sockets of each session, frames stored before they are broadcast, replay
 * from a client's last seq, and the per-connection limits (frame size, frames per second, send
 * buffer, heartbeats).
 *
 * Frames from all rooms are queued and committed together once per turn of the event loop (one
 * transaction for everything that arrived meanwhile), then broadcast in seq order. Chat and server
 * frames are committed by the frame store thread while it works, anything else by the app's
 * connection after the store's batch in flight; either way a group is broadcast in one synchronous
 * step after its commit, so broadcasts leave in commit order. A connection becomes live in the same
 * step as a replay read that finds nothing more (replay.ts).
 *
 * The parts: connection.ts (a socket's state and the limits a frame is held to), room-state.ts (what
 * is known of each open room), apply-frames.ts (what becomes of each queued frame), group-sender.ts
 * (writing a group to the sockets), replay.ts and heartbeat.ts. This file queues and commits the
 * frames and wires the parts to the sockets.
 */
import type { WebSocket } from 'ws';
import type { Clock } from '../../adapters/clock.js';
import { type DB, driverOf, type Tx } from '../../db/open.js';
import { type NewFrameRow, sessionFrameStatements } from '../../db/session-frames.js';
import { databaseBusy } from '../../errors.js';
import {
  type After,
  type ApplyDeps,
  applyFrames,
  type ControlHandler,
  type Effect,
  presenceFrame,
  type QueuedFrame,
  type ServerFrame,
  storedAside,
} from './apply-frames.js';
import { admitFrame, type Connection, newConnection, type Participant, type SocketSettings } from './connection.js';
import type { FrameStore } from './frame-store.js';
import { FrameWriter, type StoredFrame, wireOf } from './frame-writer.js';
import { errorFrame, type FrameError, type PartyRole, typingFrame } from './frames.js';
import { GroupSender } from './group-sender.js';
import { Heartbeat } from './heartbeat.js';
import { replay } from './replay.js';
import { hasLive, RoomState } from './room-state.js';

/** Refused frames in a row before a connection is closed as abusive (1008). */
const REFUSALS_BEFORE_CLOSE = 100;

export interface HubDeps {
  db: DB;
  /** The thread that commits chat and server frames; once it has failed, everything is stored on `db`. */
  store: FrameStore;
  clock: Clock;
  settings: SocketSettings;
  handleControl: ControlHandler;
  onError: (err: unknown, what: string) => void;
}

export type SessionHub = ReturnType<typeof createSessionHub>;

export function createSessionHub({ db, store, clock, settings, handleControl, onError }: HubDeps) {
  const statements = sessionFrameStatements(driverOf(db));
  const state = new RoomState(statements);
  const { rooms } = state;
  const sender = new GroupSender(settings.maxBufferedBytes);
  const applyDeps: ApplyDeps = { clock, statusOf: (id) => state.statusOf(id), handleControl };
  const now = () => clock.now();
  const writer = (insert: (row: NewFrameRow) => void = statements.insert) =>
    new FrameWriter(statements, insert, now, state.priorSeq, state.lastSeqOf);
  const queue: QueuedFrame[] = [];
  let flushScheduled = false;
  let closed = false;
  const heartbeat = new Heartbeat(rooms, settings.heartbeatMs, () => closeEndedRooms());

  /**
   * Rooms whose session was ended outside this hub (the job closing sessions left live past their
   * end, in a worker thread or another process): each connection is sent what it has not seen of the
   * record, the `ended` frame last, then closed normally (1000, "session ended"). One status read per
   * open room and heartbeat. Since that frame's seq was not written here, what the rooms knew of their
   * last seqs is read again.
   */
  function closeEndedRooms(): void {
    let ended = false;
    for (const [id, room] of rooms) {
      if (statements.sessionStatus(id) !== 'ended') continue;
      ended = true;
      for (const conn of room) {
        if (conn.live)
          for (const row of statements.after(id, conn.sentSeq, Number.MAX_SAFE_INTEGER)) {
            conn.socket.send(wireOf(row));
            conn.sentSeq = row.seq;
          }
        conn.socket.close(1000, 'session ended');
      }
    }
    if (ended) state.forgetSeqs();
  }

  function refuse(conn: Connection, e: FrameError): void {
    sender.send(conn, JSON.stringify(errorFrame(e, clock.now())));
    if (++conn.refusals >= REFUSALS_BEFORE_CLOSE) conn.socket.close(1008, 'too many refused frames');
  }

  const broadcast = (frame: StoredFrame) => sender.broadcast(rooms.get(frame.sessionId), frame);

  function scheduleFlush(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(flush);
  }

  function enqueue(item: QueuedFrame): void {
    if (closed) return;
    queue.push(item);
    scheduleFlush();
  }

  /** After commit: remember what was written, send the group, then run what waited for the commit. */
  function deliver(w: FrameWriter, effects: Effect[], afters: After[]): void {
    state.committed(w);
    sender.group(() => {
      for (const e of effects) {
        if ('broadcast' in e) broadcast(e.broadcast);
        else sender.send(e.to, e.data);
      }
    });
    for (const after of afters) {
      after()
        .then((frames) => {
          for (const frame of frames) enqueue({ kind: 'server', frame });
        })
        .catch((err: unknown) => onError(err, 'after a session agreement'));
    }
  }

  const notStoredFrame = (id: string) =>
    JSON.stringify(
      errorFrame(
        { code: 'not_stored', detail: 'The frame could not be stored; send it again with the same id.', id },
        clock.now(),
      ),
    );

  /** Nothing of this group was stored: tell each sender to send again (server frames are lost, and logged). */
  function notStored(items: QueuedFrame[], err: unknown): void {
    onError(err, 'storing session frames');
    // A seq taken meanwhile by a writer outside this hub fails the group: read the seqs again.
    state.forgetSeqs();
    for (const item of items) {
      if (item.kind === 'client') sender.send(item.conn, notStoredFrame(item.frame.id));
    }
  }

  function flush(): void {
    flushScheduled = false;
    if (closed || queue.length === 0) return;
    // The batch in flight schedules the next flush when it is done.
    if (store.busy) return;
    // Everything queued goes in one transaction: one commit for the whole group.
    const items = queue.splice(0);
    const effects: Effect[] = [];
    const afters: After[] = [];
    if (store.usable && items.every(storedAside)) {
      const rows: NewFrameRow[] = [];
      const w = writer((row) => void rows.push(row));
      applyFrames(applyDeps, items, w, null, effects, afters);
      if (rows.length === 0) {
        deliver(w, effects, afters);
        return;
      }
      store.write(rows, (err) => {
        if (err) notStored(items, err);
        else deliver(w, effects, afters);
        if (queue.length) scheduleFlush();
      });
      return;
    }
    const w = writer();
    try {
      db.transaction((tx) => applyFrames(applyDeps, items, w, tx, effects, afters));
    } catch (err) {
      notStored(items, err);
      return;
    }
    deliver(w, effects, afters);
  }

  /** Live now: what the room's frames are checked against is read now, and the others learn who came. */
  function onLive(conn: Connection): void {
    const { sessionId, key } = conn.participant;
    state.statusOf(sessionId);
    state.clientSeqsOf(sessionId);
    if (!hasLive(rooms.get(sessionId), key, conn))
      enqueue({ kind: 'server', frame: presenceFrame(conn.participant, 'join') });
  }

  function onMessage(conn: Connection, data: Buffer, isBinary: boolean): void {
    conn.alive = true;
    const frame = admitFrame(conn, data, isBinary, settings);
    if ('code' in frame) {
      refuse(conn, frame);
      return;
    }
    conn.refusals = 0;
    if (frame.type === 'hello') {
      conn.greeted = true;
      void replay(statements, conn, frame.lastSeq, onLive).catch((err: unknown) =>
        onError(err, 'replaying session frames'),
      );
      return;
    }
    if (frame.type === 'typing') {
      const { sessionId, key, role, name } = conn.participant;
      if (conn.live) sender.toOthers(rooms.get(sessionId), key, typingFrame({ role, name }, clock.now()));
      return;
    }
    // Frames wait here while the store waits for the database, up to a bound; past it a frame is not
    // taken, and not counted as a refusal either: the client did nothing wrong.
    if (queue.length >= settings.maxQueuedFrames) {
      sender.send(conn, notStoredFrame(frame.id));
      return;
    }
    enqueue({ kind: 'client', conn, frame });
  }

  return {
    /** Take a connection whose participant may be in the session; it receives frames after its hello. */
    attach(socket: WebSocket, participant: Participant): void {
      const conn = newConnection(socket, participant, settings);
      const room = state.add(conn);
      heartbeat.start();
      socket.on('message', (data: Buffer, isBinary: boolean) => onMessage(conn, data, isBinary));
      socket.on('pong', () => (conn.alive = true));
      socket.on('error', () => socket.terminate());
      socket.on('close', () => {
        state.remove(conn, room);
        heartbeat.stopIfIdle();
        if (conn.live && !hasLive(room, participant.key, null))
          enqueue({ kind: 'server', frame: presenceFrame(participant, 'leave') });
      });
    },

    /** Run `fn` in a transaction with a frame writer; the frames it appends are broadcast after commit. */
    commit<T>(fn: (w: FrameWriter, tx: Tx) => T): T {
      // Its frames follow the store's batch in flight, in seq order; a batch still waiting for the
      // write lock means this transaction would not get it either.
      if (!store.settle()) throw databaseBusy();
      const w = writer();
      state.forgetStatuses();
      const result = db.transaction((tx) => fn(w, tx));
      state.committed(w);
      sender.group(() => w.appended.forEach(broadcast));
      return result;
    },

    /** Store and broadcast a server frame with the next group. */
    post(frame: ServerFrame): void {
      enqueue({ kind: 'server', frame });
    },

    /** Who is connected to a session now (one entry per participant). */
    present(sessionId: number): { role: PartyRole; name: string }[] {
      return state.present(sessionId);
    },

    /** The session's last stored frame (found by the seq index, not by scanning the session). */
    lastFrame(sessionId: number) {
      const seq = statements.maxSeq(sessionId);
      return seq ? statements.bySeq(sessionId, seq) : undefined;
    },

    /** Frames after `afterSeq`, as stored. */
    framesAfter(sessionId: number, afterSeq: number, limit: number) {
      return statements.after(sessionId, afterSeq, limit);
    },

    /** Store what is queued, then close every connection (1001): clients reconnect and resume. */
    close(): void {
      heartbeat.stop();
      // What is still queued when the store cannot take it is not acknowledged: its senders resend it.
      store.settle();
      if (queue.length) flush();
      store.settle();
      closed = true;
      for (const room of rooms.values()) for (const conn of room) conn.socket.close(1001, 'server shutting down');
    },
  };
}
