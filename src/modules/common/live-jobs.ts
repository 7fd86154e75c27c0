/** Progress of background jobs (document jobs, claim action jobs), pushed to whoever listens on their sockets. */
import { EventEmitter } from 'node:events';

export type LiveJobEvent<V> = { type: 'progress' | 'finished'; job: V };

export class LiveJobs<V extends { id: number }> {
  private readonly events = new EventEmitter();

  constructor() {
    // One listener per open progress socket.
    this.events.setMaxListeners(0);
  }

  emit(e: LiveJobEvent<V>): void {
    this.events.emit(`job:${e.job.id}`, e);
  }

  subscribe(id: number, listener: (e: LiveJobEvent<V>) => void): () => void {
    this.events.on(`job:${id}`, listener);
    return () => this.events.off(`job:${id}`, listener);
  }
}
