/**
 * Session frames stored on a thread of their own. Chat frames are nearly all of a session's writes,
 * and their transaction (inserts and commit, about 60 µs a frame at the bench's load) took a third
 * of the event loop. The hub still builds the rows (seq, wire form) and answers resends; it hands
 * the rows here and broadcasts once this thread has committed them. One batch is in flight at a
 * time: what arrives meanwhile waits and goes into the next commit, and seqs stay in order.
 *
 * Frames written by the app's own connection (proposals, agreements, session start and end) must
 * follow the batch in flight, so such a transaction first waits for it (`settle`): the thread's
 * commit takes a few milliseconds.
 *
 * While another connection holds the write lock, the thread waits for it (batch imports commit in
 * slices of about 40 ms; a few seconds at most) without stopping the event loop: the frames are
 * late, not lost. The event loop itself never waits longer than the app's busy timeout.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { siblingModule, startWorker } from '../../adapters/workers.js';
import type { NewFrameRow } from '../../db/session-frames.js';

export interface FrameStore {
  /** False once the thread has failed: the hub then stores on its own connection. */
  readonly usable: boolean;
  readonly busy: boolean;
  /** Store the rows in one transaction; `done` runs on this thread when they are committed or refused. */
  write(rows: NewFrameRow[], done: (error: Error | null) => void): void;
  /**
   * Block until the batch in flight is committed and its `done` has run, for at most the app's busy
   * timeout: false when the batch is still waiting for the write lock then.
   */
  settle(): boolean;
  /** Hear of the thread failing (it is then no longer usable). */
  onFailure(listener: (err: Error) => void): void;
  /** Settle, then stop the thread. */
  close(): Promise<void>;
}

/** How long a batch of frames waits for the write lock before its senders are told to send again. */
const FRAME_LOCK_WAIT_MS = 5_000;

const IDLE = 0;
const WRITING = 1;

export interface FrameStoreOptions {
  /** What the event loop may wait for the batch in flight (the app's busy timeout). */
  busyTimeoutMs: number;
}

export function startFrameStore(file: string, { busyTimeoutMs }: FrameStoreOptions): FrameStore {
  const state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  const worker = startWorker(siblingModule(import.meta.url, 'frame-store-worker'), {
    workerData: { file, lockWaitMs: FRAME_LOCK_WAIT_MS, port: port2, state },
    transferList: [port2],
  });
  let pending: ((error: Error | null) => void) | null = null;
  let usable = true;
  const failureListeners: ((err: Error) => void)[] = [];

  const finish = (error: string | null) => {
    const done = pending;
    pending = null;
    done?.(error === null ? null : new Error(error));
  };
  port1.on('message', finish);
  worker.on('error', (err) => {
    usable = false;
    Atomics.store(state, 0, IDLE);
    finish(`the frame store thread failed: ${err.message}`);
    for (const listener of failureListeners) listener(err);
  });
  port1.unref();
  worker.unref();

  return {
    get usable() {
      return usable;
    },
    get busy() {
      return pending !== null;
    },
    write(rows, done) {
      pending = done;
      Atomics.store(state, 0, WRITING);
      // As JSON text: cloning one string costs the event loop less than cloning the row objects.
      port1.postMessage(JSON.stringify(rows));
    },
    onFailure(listener) {
      failureListeners.push(listener);
    },
    settle() {
      if (!pending) return true;
      Atomics.wait(state, 0, WRITING, busyTimeoutMs);
      const answer = receiveMessageOnPort(port1);
      if (answer) finish(answer.message as string | null);
      return !pending;
    },
    async close() {
      // A batch still waiting for the lock then goes unanswered, stored or not: its senders resend
      // it, and a frame already stored answers a resend with its first seq.
      this.settle();
      usable = false;
      port1.close();
      await worker.terminate();
    },
  };
}
