/**
 * Imports in progress live here until their transaction commits: their rows are not visible in the
 * database yet, so progress is read from memory and pushed to whoever listens.
 */
import { EventEmitter } from 'node:events';
import type { BatchRowValues } from '../../db/bulk-import.js';
import type { Batch } from '../../db/schema/index.js';
import type { ImportResult } from './import/protocol.js';
import type { ImportProgress } from './import/run-import.js';

/** A batch being imported: the row it starts with, and how far it has come. */
export type LiveBatch = BatchRowValues &
  Pick<Batch, 'id' | 'createdAt'> & {
    status: 'validating' | 'committing';
    progress: ImportProgress;
  };

export type BatchEvent =
  | { type: 'progress'; batchId: number; status: LiveBatch['status']; progress: ImportProgress }
  | { type: 'finished'; batchId: number; result: ImportResult };

export class LiveBatches {
  private readonly batches = new Map<number, LiveBatch>();
  private readonly events = new EventEmitter();
  /** Submissions between their repeat check and their batch going live, by file and by reference. */
  private readonly submitting = new Map<string, Promise<void>>();

  constructor() {
    // One listener per open progress socket.
    this.events.setMaxListeners(0);
  }

  get(id: number): LiveBatch | undefined {
    return this.batches.get(id);
  }

  all(): LiveBatch[] {
    return [...this.batches.values()];
  }

  add(batch: LiveBatch): void {
    this.batches.set(batch.id, batch);
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
    const b = this.batches.get(id);
    if (!b) return;
    b.progress = progress;
    b.status = progress.phase;
    this.events.emit(`batch:${id}`, { type: 'progress', batchId: id, status: b.status, progress } satisfies BatchEvent);
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
