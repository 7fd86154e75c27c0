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
