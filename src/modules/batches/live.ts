/**
 * The progress of the imports this process runs, held in memory and pushed to whoever listens; their
 * status is the database's (read-batches.ts).
 */
import { EventEmitter } from 'node:events';
import type { ImportResult } from './import/protocol.js';
import type { ImportProgress } from './import/run-import.js';

export type BatchEvent =
  | { type: 'progress'; batchId: number; status: 'committing'; progress: ImportProgress }
  | { type: 'finished'; batchId: number; result: ImportResult };

export class LiveBatches {
  private readonly batches = new Map<number, ImportProgress>();
  private readonly events = new EventEmitter();
  /** Submissions between their repeat check and their batch going live, by file and by reference. */
  private readonly submitting = new Map<string, Promise<void>>();

  constructor() {
    // One listener per open progress socket.
    this.events.setMaxListeners(0);
  }

  /** The progress of batch `id`, while this process imports it. */
  get(id: number): ImportProgress | undefined {
    return this.batches.get(id);
  }

  add(id: number): void {
    this.batches.set(id, { phase: 'validating', rowsRead: 0, rowsWritten: 0, bytesRead: 0, bytesTotal: 0 });
  }

  /**
   * Wait until no other submission holds any of `keys`, then hold them until `release` is called, so
   * identical uploads at the same moment find the first one's batch instead of racing it.
   */
  async hold(keys: string[]): Promise<() => void> {
    for (let busy = this.holder(keys); busy; busy = this.holder(keys)) await busy;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const k of keys) this.submitting.set(k, held);
    return () => {
      for (const k of keys) if (this.submitting.get(k) === held) this.submitting.delete(k);
      release();
    };
  }

  private holder(keys: string[]): Promise<void> | undefined {
    return keys.map((k) => this.submitting.get(k)).find((p) => p !== undefined);
  }

  progress(id: number, progress: ImportProgress): void {
    if (!this.batches.has(id)) return;
    this.batches.set(id, progress);
    this.events.emit(`batch:${id}`, {
      type: 'progress',
      batchId: id,
      status: 'committing',
      progress,
    } satisfies BatchEvent);
  }

  finish(id: number, result: ImportResult): void {
    this.batches.delete(id);
    this.events.emit(`batch:${id}`, { type: 'finished', batchId: id, result } satisfies BatchEvent);
  }

  subscribe(id: number, listener: (e: BatchEvent) => void): () => void {
    this.events.on(`batch:${id}`, listener);
    return () => this.events.off(`batch:${id}`, listener);
  }
}
