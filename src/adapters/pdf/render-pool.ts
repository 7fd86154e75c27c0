/**
 * The app's PDF renderer: a pool of rendering threads (DOCUMENT_RENDER_WORKERS, default 2: one per
 * core of the target box), created by the server and passed to buildApp. Documents and session
 * records render here, never on the event loop, which serves the session rooms. Each thread parses
 * the fonts once; the main thread keeps gathering data and writing rows while they render. Threads start on first use and stop after a minute without work, which gives
 * back the memory the fonts take. A print file has a thread of its own, which adds documents to it
 * as a batch makes them, so no batch keeps its documents in memory for the print file.
 */
import type { Worker } from 'node:worker_threads';
import type { DocumentModel } from '../../domain/document-text.js';
import { siblingModule, startWorker } from '../workers.js';
import { type FontCoverage, fontCoverage } from './font-coverage.js';
import { type FontSetup, fontSetup } from './font-files.js';
import { MissingCharacterError } from './text-layout.js';

/** Messages to a rendering thread; `createdAt` is the pinned creation date in epoch ms. */
export type WorkerMessage =
  | { type: 'render'; id: number; models: DocumentModel[]; createdAt: number }
  | { type: 'print-open'; id: number; createdAt: number }
  | { type: 'print-add'; id: number; model: DocumentModel }
  | { type: 'print-close'; id: number };

type RenderTask = Extract<WorkerMessage, { type: 'render' }>;

export type RenderReply =
  | { id: number; ok: true; pdf: Uint8Array }
  | { id: number; ok: false; error: string; missing?: string[] };

/** A print file being written on its own thread. */
export interface PrintFile {
  /** Add a document; it goes after those added before. */
  add(model: DocumentModel): void;
  /** The file with every document added. */
  finish(): Promise<Buffer>;
  /** Drop the file. */
  abort(): void;
}

export interface PdfRenderer {
  /** Threads rendering at once: how many tasks keep the pool busy. */
  readonly size: number;
  /** The fonts documents are set in, and which characters none of them has (checked before rendering). */
  readonly fonts: FontSetup;
  readonly coverage: FontCoverage;
  /** One PDF of the models: a document, or several in one file. */
  render(models: DocumentModel[], createdAt: Date): Promise<Buffer>;
  /** Start a print file on a thread of its own. */
  openPrint(createdAt: Date): PrintFile;
  close(): Promise<void>;
}

interface Pending {
  task: RenderTask;
  resolve: (pdf: Buffer) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Pending | null;
  error: Error | null;
}

const IDLE_MS = 60_000;

/**
 * A rendering thread lives on a few tens of MB (the parsed fonts, shaping cache and the page being
 * drawn) but churns through hundreds of MB of garbage per minute; left to itself V8 grows each
 * thread's heap for a long batch by gigabytes before collecting. A ceiling keeps memory flat.
 */
const THREAD_LIMITS = { resourceLimits: { maxOldGenerationSizeMb: 512 } };

const replyError = (reply: Extract<RenderReply, { ok: false }>, what: string) =>
  reply.missing ? new MissingCharacterError(reply.missing) : new Error(`${what}: ${reply.error}`);

export function createRenderPool({
  size,
  idleMs = IDLE_MS,
  fonts = fontSetup(),
}: {
  size: number;
  idleMs?: number;
  fonts?: FontSetup;
}): PdfRenderer {
  const threadOptions = { ...THREAD_LIMITS, workerData: { fonts } };
  const queue: Pending[] = [];
  let slots: Slot[] = [];
  let nextId = 1;
  let closed = false;
  let idleTimer: NodeJS.Timeout | null = null;
  const printThreads = new Set<Worker>();
  const toBuffer = (pdf: Uint8Array) => Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);

  function start(): Slot {
    const slot: Slot = {
      worker: startWorker(siblingModule(import.meta.url, 'render-worker'), threadOptions),
      pending: null,
      error: null,
    };
    slot.worker.on('message', (reply: RenderReply) => {
      const p = slot.pending;
      slot.pending = null;
      if (p) {
        if (reply.ok) p.resolve(toBuffer(reply.pdf));
        else p.reject(replyError(reply, 'PDF rendering failed'));
      }
      pump();
    });
    slot.worker.on('error', (err) => {
      slot.error = err;
    });
    slot.worker.on('exit', (code) => {
      slots = slots.filter((s) => s !== slot);
      if (slot.pending) {
        slot.pending.reject(
          new Error(
            `The PDF rendering thread stopped (exit code ${code})${slot.error ? `: ${slot.error.message}` : ''}.`,
          ),
        );
        slot.pending = null;
      }
      pump();
    });
    return slot;
  }

  function pump(): void {
    if (closed) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    while (queue.length) {
      let slot = slots.find((s) => !s.pending);
      if (!slot && slots.length < size) {
        slot = start();
        slots.push(slot);
      }
      if (!slot) break;
      slot.pending = queue.shift()!;
      slot.worker.postMessage(slot.pending.task);
    }
    if (slots.length && slots.every((s) => !s.pending)) {
      idleTimer = setTimeout(() => {
        const idle = slots;
        slots = [];
        for (const s of idle) void s.worker.terminate();
      }, idleMs);
      idleTimer.unref();
    }
  }

  return {
    size,
    fonts,
    coverage: fontCoverage(fonts.chains.regular),
    render(models, createdAt) {
      if (closed) return Promise.reject(new Error('The PDF renderer is closed.'));
      return new Promise<Buffer>((resolve, reject) => {
        queue.push({ task: { type: 'render', id: nextId++, models, createdAt: createdAt.getTime() }, resolve, reject });
        pump();
      });
    },
    openPrint(createdAt) {
      if (closed) throw new Error('The PDF renderer is closed.');
      const worker = startWorker(siblingModule(import.meta.url, 'render-worker'), threadOptions);
      printThreads.add(worker);
      const id = nextId++;
      let failure: Error | null = null;
      let settle: { resolve: (pdf: Buffer) => void; reject: (err: Error) => void } | null = null;
      worker.on('message', (reply: RenderReply) => {
        if (reply.ok) settle?.resolve(toBuffer(reply.pdf));
        else settle?.reject(replyError(reply, 'The print file failed'));
        void worker.terminate();
      });
      worker.on('error', (err) => (failure = err));
      worker.on('exit', (code) => {
        printThreads.delete(worker);
        settle?.reject(
          new Error(`The print thread stopped (exit code ${code})${failure ? `: ${failure.message}` : ''}.`),
        );
      });
      worker.postMessage({ type: 'print-open', id, createdAt: createdAt.getTime() } satisfies WorkerMessage);
      return {
        add: (model) => worker.postMessage({ type: 'print-add', id, model } satisfies WorkerMessage),
        finish: () =>
          new Promise<Buffer>((resolve, reject) => {
            settle = { resolve, reject };
            worker.postMessage({ type: 'print-close', id } satisfies WorkerMessage);
          }),
        abort: () => void worker.terminate(),
      };
    },
    async close() {
      closed = true;
      if (idleTimer) clearTimeout(idleTimer);
      for (const p of queue.splice(0)) p.reject(new Error('The PDF renderer is closed.'));
      await Promise.all([...slots.map((s) => s.worker.terminate()), ...[...printThreads].map((w) => w.terminate())]);
      slots = [];
    },
  };
}
