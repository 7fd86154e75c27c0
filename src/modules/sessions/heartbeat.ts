/** Heartbeats: every connection is pinged at an interval, and one that did not answer the last ping is dropped. */
import type { Connection } from './connection.js';

export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly rooms: Map<number, Set<Connection>>,
    private readonly intervalMs: number,
    /** Also run at each beat (the hub's look for rooms whose session ended elsewhere). */
    private readonly onBeat: () => void = () => undefined,
  ) {}

  /** Beat from now on, if not beating yet: a connection opened. */
  start(): void {
    this.timer ??= setInterval(() => this.beat(), this.intervalMs);
  }

  /** Stop once no room is open: an idle app keeps no timer. */
  stopIfIdle(): void {
    if (this.rooms.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Drop each connection that has not answered since the last beat; ping the others. */
  beat(): void {
    this.onBeat();
    for (const room of this.rooms.values()) {
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
}
