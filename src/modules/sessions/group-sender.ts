/**
 * Writing to the room's sockets. Frames leave in groups (what one commit stored): while a group is
 * written each connection's TCP socket is corked, so the frames it gets from one group leave in one
 * write rather than one system call each. A connection too far behind is dropped, to resume with hello.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Connection } from './connection.js';
import type { StoredFrame } from './frame-writer.js';

const OPEN = 1;

/** The TCP socket under a ws connection (ws keeps it as `_socket`), to cork while a group is written. */
const tcpOf = (ws: WebSocket) => (ws as unknown as { _socket?: Socket })._socket;

export class GroupSender {
  private writing: { seen: Set<Connection>; corked: Socket[] } | null = null;

  /** `maxBufferedBytes`: bytes queued for a connection before this group beyond which it is dropped. */
  constructor(private readonly maxBufferedBytes: number) {}

  /** Send, unless the connection is so far behind that it must go: it resumes with hello and lastSeq. */
  send(conn: Connection, data: string | Buffer): void {
    if (conn.socket.readyState !== OPEN) return;
    // The backlog from before this group is what tells a slow client, not the group itself.
    if (!this.writing?.seen.has(conn)) {
      if (conn.socket.bufferedAmount > this.maxBufferedBytes) {
        conn.socket.terminate();
        return;
      }
      if (this.writing) {
        this.writing.seen.add(conn);
        const tcp = tcpOf(conn.socket);
        if (tcp) {
          tcp.cork();
          this.writing.corked.push(tcp);
        }
      }
    }
    conn.socket.send(data, { binary: false });
  }

  /** Run `fn`, which sends one group, with every socket it writes to corked until it returns. */
  group(fn: () => void): void {
    const writing = { seen: new Set<Connection>(), corked: [] as Socket[] };
    this.writing = writing;
    try {
      fn();
    } finally {
      this.writing = null;
      for (const tcp of writing.corked) tcp.uncork();
    }
  }

  /** Send a stored frame to every live connection of its room that has not had it yet. */
  broadcast(room: Set<Connection> | undefined, frame: StoredFrame): void {
    if (!room) return;
    // Encoded once for every receiver.
    const data = Buffer.from(frame.wire);
    for (const conn of room) {
      if (!conn.live || frame.seq <= conn.sentSeq) continue;
      conn.sentSeq = frame.seq;
      this.send(conn, data);
    }
  }

  /** Send an unstored frame to every live connection of the room but the sender's own. */
  toOthers(room: Set<Connection> | undefined, senderKey: string, data: string): void {
    if (!room) return;
    for (const conn of room) if (conn.live && conn.participant.key !== senderKey) this.send(conn, data);
  }
}
