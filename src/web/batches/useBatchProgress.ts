/**
 * A running batch followed on its socket (/ws/batches/:id): the batch as the snapshot gives it, then
 * each progress frame, and the final batch re-read once the server says it has finished.
 */
import { useEffect, useState } from 'react';
import { type Answer, api, call } from '../api/client';

export type Batch = Answer<'getBatchesById'>;
type Progress = NonNullable<Batch['progress']>;

type Frame =
  | { type: 'snapshot'; batch: Batch }
  | { type: 'progress'; status: Batch['status']; progress: Progress }
  | { type: 'finished' };

export const isFinished = (b: Batch) => b.status === 'committed' || b.status === 'failed';

/** Per cent of the file read so far; 100 once the batch has finished. */
export function percentOf(b: Batch): number {
  if (isFinished(b)) return 100;
  const p = b.progress;
  if (!p || p.bytesTotal === 0) return 0;
  // Reading is most of the work; the last per cent is the commit.
  return Math.min(99, Math.floor((p.bytesRead / p.bytesTotal) * 100));
}

export function useBatchProgress(first: Batch): { batch: Batch; error: unknown } {
  const [batch, setBatch] = useState(first);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (isFinished(first)) return;
    const reread = () =>
      call(api.GET('/api/batches/{id}', { params: { path: { id: first.id } } })).then(setBatch, setError);
    const socket = new WebSocket(`${window.location.origin.replace(/^http/, 'ws')}/ws/batches/${first.id}`);
    socket.onmessage = (m) => {
      const frame = JSON.parse(String(m.data)) as Frame;
      if (frame.type === 'snapshot') setBatch(frame.batch);
      else if (frame.type === 'progress') setBatch((b) => ({ ...b, status: frame.status, progress: frame.progress }));
      else void reread();
    };
    // A socket closed before the end (server restart, lost sign-in): the batch's own state says what happened.
    socket.onclose = (e) => {
      if (e.code !== 1000) void reread();
    };
    return () => socket.close(1000);
  }, [first]);
  return { batch, error };
}
