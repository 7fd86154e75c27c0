/** Progress of document jobs, pushed to whoever listens (the /ws/documents/jobs/:id sockets). */
import { EventEmitter } from 'node:events';
import type { JobView } from './schemas.js';

export type JobEvent = { type: 'progress' | 'finished'; job: JobView };

export class LiveDocumentJobs {
  private readonly events = new EventEmitter();

  constructor() {
    // One listener per open progress socket.
    this.events.setMaxListeners(0);
  }

  emit(e: JobEvent): void {
    this.events.emit(`job:${e.job.id}`, e);
  }

  subscribe(id: number, listener: (e: JobEvent) => void): () => void {
    this.events.on(`job:${id}`, listener);
    return () => this.events.off(`job:${id}`, listener);
  }
}
