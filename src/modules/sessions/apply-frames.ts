/**
 * Deciding what becomes of each queued frame, inside the commit that stores a group: a chat frame is
 * appended once (a resend answers the original), a control frame (proposal, counter, answer) runs its
 * handler in a savepoint, a server frame is appended; frames for a room that is not live are answered
 * with an error to their sender only. Nothing is sent here: the effects are sent after the commit.
 */
import type { Clock } from '../../adapters/clock.js';
import type { Tx } from '../../db/open.js';
import { AppError } from '../../errors.js';
import type { Connection, Participant } from './connection.js';
import type { FrameWriter, StoredFrame } from './frame-writer.js';
import { type ClientFrame, errorFrame, type FrameFrom } from './frames.js';

export type ControlFrame = Exclude<ClientFrame, { type: 'hello' | 'typing' | 'chat' }>;

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

/** A participant's arrival or departure, as the room records it. */
export const presenceFrame = (p: Participant, event: 'join' | 'leave'): ServerFrame => ({
  sessionId: p.sessionId,
  type: 'presence',
  from: { role: p.role, name: p.name },
  senderKey: p.key,
  body: { event },
});

export type QueuedFrame =
  | { kind: 'client'; conn: Connection; frame: Exclude<ClientFrame, { type: 'hello' | 'typing' }> }
  | { kind: 'server'; frame: ServerFrame };

/** Answer for a frame after commit: broadcast a stored frame, or send something to its sender only. */
export type Effect = { broadcast: StoredFrame } | { to: Connection; data: string };
export type After = () => Promise<ServerFrame[]>;

export interface ApplyDeps {
  clock: Clock;
  /** The session's status, as the rooms know it. */
  statusOf: (sessionId: number) => string | null | undefined;
  handleControl: ControlHandler;
}

/** Whether the frame store thread may commit this frame: chat and server frames, not control frames. */
export const storedAside = (item: QueuedFrame) => item.kind === 'server' || item.frame.type === 'chat';

const notLive = (conn: Connection, id: string, at: Date): Effect => ({
  to: conn,
  data: JSON.stringify(
    errorFrame(
      {
        code: 'session_not_live',
        detail: 'The session is not in progress: frames are taken from when the mediator starts it until it ends.',
        id,
      },
      at,
    ),
  ),
});

/**
 * Decide each item's answer and append its frames with `w`. Control frames run in savepoints of
 * `tx`; a group without them (all the store thread takes) needs no transaction of the app's.
 */
export function applyFrames(
  deps: ApplyDeps,
  items: QueuedFrame[],
  w: FrameWriter,
  tx: Tx | null,
  effects: Effect[],
  afters: After[],
): void {
  for (const item of items) {
    if (item.kind === 'server') {
      const { sessionId, ...f } = item.frame;
      effects.push({ broadcast: w.append(sessionId, { ...f, clientId: null }) });
      continue;
    }
    const { conn, frame } = item;
    const p = conn.participant;
    // A resend answers with the frame as first stored, whatever has happened since.
    if (frame.type === 'chat') {
      if (deps.statusOf(p.sessionId) !== 'live') {
        const original = w.existing(p.sessionId, p.key, frame.id);
        effects.push(original ? { to: conn, data: original.wire } : notLive(conn, frame.id, deps.clock.now()));
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
    if (deps.statusOf(p.sessionId) !== 'live') {
      effects.push(notLive(conn, frame.id, deps.clock.now()));
      continue;
    }
    // Groups with control frames are applied in the app's transaction (see the hub's flush).
    const sp = tx!;
    const mark = w.mark();
    try {
      const out = sp.transaction((inner) => deps.handleControl(w, inner, p, frame));
      for (const f of w.appended.slice(mark.appended)) effects.push({ broadcast: f });
      if (out?.after) afters.push(out.after);
    } catch (err) {
      w.reset(mark);
      if (!(err instanceof AppError)) throw err;
      effects.push({
        to: conn,
        data: JSON.stringify(
          errorFrame({ code: err.reason ?? err.code, detail: err.detail, id: frame.id }, deps.clock.now()),
        ),
      });
    }
  }
}
