/**
 * One socket in a session room: who is on it, where it stands (greeted, live, the last seq it was
 * sent), and the limits every frame it sends is held to before the room takes it.
 */
import type { WebSocket } from 'ws';
import { type ClientFrame, type FrameError, type PartyRole, parseClientFrame } from './frames.js';

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

/** Who is on a connection, as the session service resolved it before the upgrade. */
export interface Participant {
  sessionId: number;
  role: PartyRole;
  name: string;
  /** Sender key: `user:<id>`, `apikey:<id>` or `debtor:<id>`; client ids are unique per sender. */
  key: string;
}

export interface Connection {
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

/** Largest frame of any other type: a proposal of 120 instalments is about 6 KiB. */
export const FRAME_MAX_BYTES = 16 * 1024;

/** A connection that has not said hello yet, with a full burst of tokens. */
export const newConnection = (socket: WebSocket, participant: Participant, settings: SocketSettings): Connection => ({
  socket,
  participant,
  greeted: false,
  live: false,
  sentSeq: 0,
  alive: true,
  tokens: settings.framesPerSecond * 2,
  refilledAt: performance.now(),
  refusals: 0,
});

/**
 * The frame the connection sent, or why it is refused: too many a second (a token bucket refilled at
 * `framesPerSecond`, holding a burst of twice that), binary, too large, not a frame, a second hello,
 * anything before hello, a chat frame over its own limit. A refused frame is not stored; one refused
 * for any reason but the rate has spent its token. Runs for every frame, so it allocates nothing but
 * the parsed frame or the refusal.
 */
export function admitFrame(
  conn: Connection,
  data: Buffer,
  isBinary: boolean,
  settings: SocketSettings,
  now = performance.now(),
): ClientFrame | FrameError {
  conn.tokens = Math.min(
    settings.framesPerSecond * 2,
    conn.tokens + ((now - conn.refilledAt) / 1000) * settings.framesPerSecond,
  );
  conn.refilledAt = now;
  if (conn.tokens < 1) {
    return {
      code: 'rate_limited',
      detail: `Too many frames: at most ${settings.framesPerSecond} a second. This frame was not stored; send it again shortly.`,
      id: null,
    };
  }
  conn.tokens -= 1;
  if (isBinary) return { code: 'invalid_frame', detail: 'Frames are JSON text, not binary.', id: null };
  if (data.length > FRAME_MAX_BYTES) {
    return {
      code: 'frame_too_large',
      detail: `A frame may be at most ${FRAME_MAX_BYTES} bytes (a chat frame ${settings.chatMaxBytes}).`,
      id: null,
    };
  }
  const frame = parseClientFrame(data.toString('utf8'));
  if ('code' in frame) return frame;
  if (frame.type === 'hello') {
    return conn.greeted
      ? { code: 'invalid_frame', detail: 'hello is sent once per connection; reconnect to replay again.', id: null }
      : frame;
  }
  if (!conn.greeted)
    return {
      code: 'hello_required',
      detail: 'Send {"type":"hello","lastSeq":N} first.',
      id: frame.type === 'typing' ? null : frame.id,
    };
  if (frame.type === 'chat' && data.length > settings.chatMaxBytes) {
    return {
      code: 'frame_too_large',
      detail: `A chat frame may be at most ${settings.chatMaxBytes} bytes; split the message.`,
      id: frame.id,
    };
  }
  return frame;
}
