/**
 * Live session rooms: the sockets of each session, frames stored before they are broadcast, replay
 * from a client's last seq, and the per-connection limits (frame size, frames per second, send
 * buffer, heartbeats).
 *
 * Frames from all rooms are queued and committed together once per turn of the event loop (one
 * transaction for everything that arrived meanwhile), then broadcast in seq order. Chat and server
 * frames are committed by the frame store thread while it works, anything else by the app's
 * connection after the store's batch in flight; either way a group is broadcast in one synchronous
 * step after its commit, so broadcasts leave in commit order. A connection
 * becomes live in the same step as a replay read that finds nothing more; a frame committed but
 * not yet broadcast then is either in that read or still to come, and is sent once (`sentSeq`).
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Clock } from '../../adapters/clock.js';
import { type DB, driverOf, type Tx } from '../../db/open.js';
import { type NewFrameRow, sessionFrameStatements } from '../../db/session-frames.js';
import { AppError, databaseBusy } from '../../errors.js';
import type { FrameStore } from './frame-store.js';
import { clientKey, clientKeyHash, FrameWriter, type PriorSeq, type StoredFrame, wireOf } from './frame-writer.js';
import {
  type ClientFrame,
  errorFrame,
  type FrameError,
  type FrameFrom,
  type PartyRole,
  parseClientFrame,
} from './frames.js';

export interface SocketSettings {
  /** Ping every connection this often; one that has not answered the previous ping is dropped. */
  heartbeatMs: number;
  /** Bytes queued for a connection beyond which it is dropped as too slow (it can resume with hello). */
  maxBufferedBytes: number;
  /** Frames a connection may send per second on average; bursts of twice that pass. */
  framesPerSecond: number;
  /** Largest chat frame in bytes. */
  chatMaxBytes: number;
  /** Frames held, across all rooms, while the store waits for the database; more are not taken. */
  maxQueuedFrames: number;
}

/** Largest frame of any other type: a proposal of 120 instalments is about 6 KiB. */
const FRAME_MAX_BYTES = 16 * 1024;
/**
 * Frames read and sent per step of a replay; the next page waits until the last one is written, so a
 * replay holds at most a page (≤ 200 × 16 KiB) in the send buffer, whatever the session's length.
 */
const REPLAY_PAGE = 200;
/** Refused frames in a row before a connection is closed as abusive (1008). */
const REFUSALS_BEFORE_CLOSE = 100;

/** Who is on a connection, as the session service resolved it before the upgrade. */
export interface Participant {
  sessionId: number;
  role: PartyRole;
  name: string;
  /** Sender key: `user:<id>`, `apikey:<id>` or `debtor:<id>`; client ids are unique per sender. */
  key: string;
}

export type ControlFrame = Exclude<ClientFrame, { type: 'hello' | 'chat' }>;

/** A frame the server writes on its own account (presence, system notes). */
export interface ServerFrame {
  sessionId: number;
  type: 'presence' | 'system';
  from: FrameFrom;
  senderKey: string;
  body: Record<string, unknown>;
}

/**
 * Stores one proposal, counter or answer inside a savepoint, or throws an AppError to refuse it.
 * `after` runs once the transaction has committed and its frames were broadcast.
 */
export type ControlHandler = (
  w: FrameWriter,
  tx: Tx,
  p: Participant,
  frame: ControlFrame,
) => { after?: () => Promise<ServerFrame[]> } | undefined;

interface Connection {
  socket: WebSocket;
  participant: Participant;
  greeted: boolean;
  live: boolean;
  /** Highest seq this connection has been sent. */
  sentSeq: number;
  alive: boolean;
  tokens: number;
  refilledAt: number;
  refusals: number;
}

type Item =
  | { kind: 'client'; conn: Connection; frame: Exclude<ClientFrame, { type: 'hello' }> }
  | { kind: 'server'; frame: ServerFrame };

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

const OPEN = 1;

/** The TCP socket under a ws connection (ws keeps it as `_socket`), to cork while a group is written. */
const tcpOf = (ws: WebSocket) => (ws as unknown as { _socket?: Socket })._socket;

export function createSessionHub({ db, store, clock, settings, handleControl, onError }: HubDeps) {
  const statements = sessionFrameStatements(driverOf(db));
  const rooms = new Map<number, Set<Connection>>();
  // The last committed seq of each open room: saves a query per room and flush.
  const lastSeq = new Map<number, number>();
  // The client ids of each open room, read once when first needed: a new frame's id is then known to be
  // new without a query. A room keeps every id it has stored, so they are kept as hashes (small
  // integers, no object each): as strings, 300,000 ids after a minute of the bench's load doubled the
  // longest major GC pause and with it the worst seconds of every room.
  const clientSeqs = new Map<number, Map<number, number>>();
  const clientSeqsOf = (sessionId: number) => {
    let seqs = clientSeqs.get(sessionId);
    if (!seqs) {
      seqs = new Map(
        statements
          .clientIds(sessionId)
          .map((r) => [clientKeyHash(clientKey(sessionId, r.senderKey, r.clientId)), r.seq]),
      );
      clientSeqs.set(sessionId, seqs);
    }
    return seqs;
  };
  const priorSeq: PriorSeq = (sessionId, senderKey, clientId) => {
    if (!rooms.has(sessionId)) return statements.byClient(sessionId, senderKey, clientId)?.seq;
    const seq = clientSeqsOf(sessionId).get(clientKeyHash(clientKey(sessionId, senderKey, clientId)));
    if (seq === undefined) return undefined;
    // Two ids may share a hash: the frame found must be this sender's under this id.
    return statements.isClientFrame(sessionId, seq, senderKey, clientId)
      ? seq
      : statements.byClient(sessionId, senderKey, clientId)?.seq;
  };
  // The status of each open room, read once: it changes only in `commit` (start, end), which forgets them all.
  const roomStatus = new Map<number, string | null>();
  const statusOf = (id: number) => {
    if (!rooms.has(id)) return statements.sessionStatus(id);
    if (!roomStatus.has(id)) roomStatus.set(id, statements.sessionStatus(id));
    return roomStatus.get(id);
  };
  const writer = (insert: (row: NewFrameRow) => void = statements.insert) =>
    new FrameWriter(
      statements,
      insert,
      () => clock.now(),
      priorSeq,
      (id) => lastSeq.get(id),
    );
  /** After commit: what the writer wrote is now the rooms' last seq and known client ids. */
  const committed = (w: FrameWriter) => {
    for (const [id, next] of w.next) if (rooms.has(id)) lastSeq.set(id, next - 1);
    for (const [key, frame] of w.appendedIds()) clientSeqs.get(frame.sessionId)?.set(clientKeyHash(key), frame.seq);
  };
  const queue: Item[] = [];
  let flushScheduled = false;
  let closed = false;

  // Runs only while some connection is open: an idle app keeps no timer.
  let heartbeat: NodeJS.Timeout | null = null;
  function beat(): void {
    for (const room of rooms.values()) {
      for (const conn of room) {
        if (!conn.alive) {
          conn.socket.terminate();
          continue;
        }
        conn.alive = false;
        conn.socket.ping();
      }
    }
  }

  // While a group's frames are written, each connection's TCP socket is corked, so that the frames
  // it gets from one group leave in one write rather than one system call each.
  let writing: { seen: Set<Connection>; corked: Socket[] } | null = null;

  /** Send, unless the connection is so far behind that it must go: it resumes with hello and lastSeq. */
  function send(conn: Connection, data: string | Buffer): void {
    if (conn.socket.readyState !== OPEN) return;
    // The backlog from before this group is what tells a slow client, not the group itself.
    if (!writing?.seen.has(conn)) {
      if (conn.socket.bufferedAmount > settings.maxBufferedBytes) {
        conn.socket.terminate();
        return;
      }
      if (writing) {
        writing.seen.add(conn);
        const tcp = tcpOf(conn.socket);
        if (tcp) {
          tcp.cork();
          writing.corked.push(tcp);
        }
      }
    }
    conn.socket.send(data, { binary: false });
  }

  function writeGroup(fn: () => void): void {
    writing = { seen: new Set(), corked: [] };
    try {
      fn();
    } finally {
      const { corked } = writing;
      writing = null;
      for (const tcp of corked) tcp.uncork();
    }
  }

  function refuse(conn: Connection, e: FrameError): void {
    send(conn, JSON.stringify(errorFrame(e, clock.now())));
    if (++conn.refusals >= REFUSALS_BEFORE_CLOSE) conn.socket.close(1008, 'too many refused frames');
  }

  function broadcast(frame: StoredFrame): void {
    const room = rooms.get(frame.sessionId);
    if (!room) return;
    // Encoded once for every receiver.
    const data = Buffer.from(frame.wire);
    for (const conn of room) {
      if (!conn.live || frame.seq <= conn.sentSeq) continue;
      conn.sentSeq = frame.seq;
      send(conn, data);
    }
  }

  function scheduleFlush(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(flush);
  }

  function enqueue(item: Item): void {
    if (closed) return;
    queue.push(item);
    scheduleFlush();
  }

  /** Answer for a frame after commit: broadcast a stored frame, or send something to its sender only. */
  type Effect = { broadcast: StoredFrame } | { to: Connection; data: string };
  type After = () => Promise<ServerFrame[]>;
  const storedAside = (item: Item) => item.kind === 'server' || item.frame.type === 'chat';

  /**
   * Decide each item's answer and append its frames with `w`. Control frames run in savepoints of
   * `tx`; a group without them (all the store thread takes) needs no transaction of the app's.
   */
  function apply(items: Item[], w: FrameWriter, tx: Tx | null, effects: Effect[], afters: After[]): void {
    for (const item of items) {
      if (item.kind === 'server') {
        const { sessionId, ...f } = item.frame;
        effects.push({ broadcast: w.append(sessionId, { ...f, clientId: null }) });
        continue;
      }
      const { conn, frame } = item;
      const p = conn.participant;
      const notLive = () =>
        effects.push({
          to: conn,
          data: JSON.stringify(
            errorFrame(
              {
                code: 'session_not_live',
                detail:
                  'The session is not in progress: frames are taken from when the mediator starts it until it ends.',
                id: frame.id,
              },
              clock.now(),
            ),
          ),
        });
      // A resend answers with the frame as first stored, whatever has happened since.
      if (frame.type === 'chat') {
        if (statusOf(p.sessionId) !== 'live') {
          const original = w.existing(p.sessionId, p.key, frame.id);
          if (original) effects.push({ to: conn, data: original.wire });
          else notLive();
          continue;
        }
        const { frame: stored, repeat } = w.appendOnce(p.sessionId, {
          type: 'chat',
          clientId: frame.id,
          senderKey: p.key,
          from: { role: p.role, name: p.name },
          body: frame.body,
        });
        effects.push(repeat ? { to: conn, data: stored.wire } : { broadcast: stored });
        continue;
      }
      const original = w.existing(p.sessionId, p.key, frame.id);
      if (original) {
        effects.push({ to: conn, data: original.wire });
        continue;
      }
      if (statusOf(p.sessionId) !== 'live') {
        notLive();
        continue;
      }
      // Groups with control frames are applied in the app's transaction (see flush).
      const sp = tx!;
      const mark = w.mark();
      try {
        const out = sp.transaction((inner) => handleControl(w, inner, p, frame));
        for (const f of w.appended.slice(mark.appended)) effects.push({ broadcast: f });
        if (out?.after) afters.push(out.after);
      } catch (err) {
        w.reset(mark);
        if (!(err instanceof AppError)) throw err;
        effects.push({
          to: conn,
          data: JSON.stringify(
            errorFrame({ code: err.reason ?? err.code, detail: err.detail, id: frame.id }, clock.now()),
          ),
        });
      }
    }
  }

  /** After commit: remember what was written, send the group, then run what waited for the commit. */
  function deliver(w: FrameWriter, effects: Effect[], afters: After[]): void {
    committed(w);
    writeGroup(() => {
      for (const e of effects) {
        if ('broadcast' in e) broadcast(e.broadcast);
        else send(e.to, e.data);
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
  function notStored(items: Item[], err: unknown): void {
    onError(err, 'storing session frames');
    for (const item of items) {
      if (item.kind === 'client') send(item.conn, notStoredFrame(item.frame.id));
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
      apply(items, w, null, effects, afters);
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
      db.transaction((tx) => apply(items, w, tx, effects, afters));
    } catch (err) {
      notStored(items, err);
      return;
    }
    deliver(w, effects, afters);
  }

  /**
   * Replay what the connection missed, page by page, each page written before the next is read. It
   * goes live in the same step as a read that finds nothing more, so its send buffer is empty then.
   */
  async function replay(conn: Connection, lastSeq: number): Promise<void> {
    const { sessionId } = conn.participant;
    let after = Math.min(lastSeq, statements.maxSeq(sessionId));
    for (;;) {
      if (conn.socket.readyState !== OPEN) return;
      const rows = statements.after(sessionId, after, REPLAY_PAGE);
      if (rows.length === 0) {
        conn.sentSeq = after;
        conn.live = true;
        // What the room's frames are checked against is read now, not when its first frames arrive.
        statusOf(sessionId);
        clientSeqsOf(sessionId);
        const room = rooms.get(sessionId);
        const present = [...(room ?? [])].some(
          (c) => c !== conn && c.live && c.participant.key === conn.participant.key,
        );
        if (!present) enqueue({ kind: 'server', frame: presence(conn.participant, 'join') });
        return;
      }
      // Written without the slow-client check: the page is bounded and the next waits for it.
      const written = new Promise((resolve) => {
        rows.forEach((row, i) => {
          conn.socket.send(wireOf(row), i === rows.length - 1 ? resolve : undefined);
        });
      });
      after = rows.at(-1)!.seq;
      await written;
    }
  }

  const presence = (p: Participant, event: 'join' | 'leave'): ServerFrame => ({
    sessionId: p.sessionId,
    type: 'presence',
    from: { role: p.role, name: p.name },
    senderKey: p.key,
    body: { event },
  });

  function onMessage(conn: Connection, data: Buffer, isBinary: boolean): void {
    conn.alive = true;
    const now = performance.now();
    conn.tokens = Math.min(
      settings.framesPerSecond * 2,
      conn.tokens + ((now - conn.refilledAt) / 1000) * settings.framesPerSecond,
    );
    conn.refilledAt = now;
    if (conn.tokens < 1) {
      refuse(conn, {
        code: 'rate_limited',
        detail: `Too many frames: at most ${settings.framesPerSecond} a second. This frame was not stored; send it again shortly.`,
        id: null,
      });
      return;
    }
    conn.tokens -= 1;
    if (isBinary) {
      refuse(conn, { code: 'invalid_frame', detail: 'Frames are JSON text, not binary.', id: null });
      return;
    }
    if (data.length > FRAME_MAX_BYTES) {
      refuse(conn, {
        code: 'frame_too_large',
        detail: `A frame may be at most ${FRAME_MAX_BYTES} bytes (a chat frame ${settings.chatMaxBytes}).`,
        id: null,
      });
      return;
    }
    const frame = parseClientFrame(data.toString('utf8'));
    if ('code' in frame) {
      refuse(conn, frame);
      return;
    }
    if (frame.type === 'hello') {
      if (conn.greeted) {
        refuse(conn, {
          code: 'invalid_frame',
          detail: 'hello is sent once per connection; reconnect to replay again.',
          id: null,
        });
        return;
      }
      conn.greeted = true;
      conn.refusals = 0;
      void replay(conn, frame.lastSeq).catch((err: unknown) => onError(err, 'replaying session frames'));
      return;
    }
    if (!conn.greeted) {
      refuse(conn, { code: 'hello_required', detail: 'Send {"type":"hello","lastSeq":N} first.', id: frame.id });
      return;
    }
    if (frame.type === 'chat' && data.length > settings.chatMaxBytes) {
      refuse(conn, {
        code: 'frame_too_large',
        detail: `A chat frame may be at most ${settings.chatMaxBytes} bytes; split the message.`,
        id: frame.id,
      });
      return;
    }
    conn.refusals = 0;
    // Frames wait here while the store waits for the database, up to a bound; past it a frame is not
    // taken, and not counted as a refusal either: the client did nothing wrong.
    if (queue.length >= settings.maxQueuedFrames) {
      send(conn, notStoredFrame(frame.id));
      return;
    }
    enqueue({ kind: 'client', conn, frame });
  }

  return {
    /** Take a connection whose participant may be in the session; it receives frames after its hello. */
    attach(socket: WebSocket, participant: Participant): void {
      const conn: Connection = {
        socket,
        participant,
        greeted: false,
        live: false,
        sentSeq: 0,
        alive: true,
        tokens: settings.framesPerSecond * 2,
        refilledAt: performance.now(),
        refusals: 0,
      };
      let room = rooms.get(participant.sessionId);
      if (!room) {
        room = new Set();
        rooms.set(participant.sessionId, room);
      }
      room.add(conn);
      heartbeat ??= setInterval(beat, settings.heartbeatMs);
      socket.on('message', (data: Buffer, isBinary: boolean) => onMessage(conn, data, isBinary));
      socket.on('pong', () => (conn.alive = true));
      socket.on('error', () => socket.terminate());
      socket.on('close', () => {
        room.delete(conn);
        if (room.size === 0 && rooms.get(participant.sessionId) === room) {
          rooms.delete(participant.sessionId);
          lastSeq.delete(participant.sessionId);
          clientSeqs.delete(participant.sessionId);
          roomStatus.delete(participant.sessionId);
        }
        if (rooms.size === 0 && heartbeat) {
          clearInterval(heartbeat);
          heartbeat = null;
        }
        const stillHere = [...room].some((c) => c.live && c.participant.key === participant.key);
        if (conn.live && !stillHere) enqueue({ kind: 'server', frame: presence(participant, 'leave') });
      });
    },

    /** Run `fn` in a transaction with a frame writer; the frames it appends are broadcast after commit. */
    commit<T>(fn: (w: FrameWriter, tx: Tx) => T): T {
      // Its frames follow the store's batch in flight, in seq order; a batch still waiting for the
      // write lock means this transaction would not get it either.
      if (!store.settle()) throw databaseBusy();
      const w = writer();
      roomStatus.clear();
      const result = db.transaction((tx) => fn(w, tx));
      committed(w);
      writeGroup(() => w.appended.forEach(broadcast));
      return result;
    },

    /** Store and broadcast a server frame with the next group. */
    post(frame: ServerFrame): void {
      enqueue({ kind: 'server', frame });
    },

    /** Who is connected to a session now (one entry per participant). */
    present(sessionId: number): { role: PartyRole; name: string }[] {
      const seen = new Map<string, { role: PartyRole; name: string }>();
      for (const c of rooms.get(sessionId) ?? [])
        if (c.live) seen.set(c.participant.key, { role: c.participant.role, name: c.participant.name });
      return [...seen.values()];
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
      if (heartbeat) clearInterval(heartbeat);
      // What is still queued when the store cannot take it is not acknowledged: its senders resend it.
      store.settle();
      if (queue.length) flush();
      store.settle();
      closed = true;
      for (const room of rooms.values()) for (const conn of room) conn.socket.close(1001, 'server shutting down');
    },
  };
}
