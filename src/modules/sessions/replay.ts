/** Replaying what a connection missed since its `lastSeq`, page by page, before it goes live. */
import type { SessionFrameStatements } from '../../db/session-frames.js';
import type { Connection } from './connection.js';
import { wireOf } from './frame-writer.js';

const OPEN = 1;

/**
 * Frames read and sent per step of a replay; the next page waits until the last one is written, so a
 * replay holds at most a page (≤ 200 × 16 KiB) in the send buffer, whatever the session's length.
 */
export const REPLAY_PAGE = 200;

/**
 * Send the frames after `lastSeq`, each page written before the next is read. The connection goes
 * live in the same step as a read that finds nothing more, so its send buffer is empty then; a frame
 * committed but not yet broadcast is either in that read or still to come, and is sent once
 * (`sentSeq`). `onLive` runs in that step.
 */
export async function replay(
  statements: SessionFrameStatements,
  conn: Connection,
  lastSeq: number,
  onLive: (conn: Connection) => void,
): Promise<void> {
  const { sessionId } = conn.participant;
  let after = Math.min(lastSeq, statements.maxSeq(sessionId));
  for (;;) {
    if (conn.socket.readyState !== OPEN) return;
    const rows = statements.after(sessionId, after, REPLAY_PAGE);
    if (rows.length === 0) {
      conn.sentSeq = after;
      conn.live = true;
      onLive(conn);
      return;
    }
    // Written without the slow-client check: the page is bounded and the next waits for it.
    const written = new Promise((resolve) => {
      rows.forEach((row, i) => {
        conn.socket.send(wireOf(row), i === rows.length - 1 ? resolve : undefined);
      });
    });
    after = rows.at(-1)!.seq;
    await written;
  }
}
