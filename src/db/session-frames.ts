/**
 * The hot path of live sessions: every chat frame is stored before it is broadcast, so frames are
 * appended and read with prepared statements. drizzle's prepared insert costs about twice SQLite
 * itself per row here (32 vs 16 µs); this is plain, portable SQL on the connection given, so it
 * joins whatever transaction that connection has open (the app's, or the frame store thread's).
 */
import type Database from 'better-sqlite3';

export interface FrameRow {
  seq: number;
  type: string;
  clientId: string | null;
  fromRole: string;
  fromName: string;
  /** The body as JSON text, exactly as stored. */
  body: string;
  /** UTC milliseconds. */
  at: number;
}

export interface NewFrameRow extends FrameRow {
  sessionId: number;
  senderKey: string;
}

const COLUMNS = 'seq, type, client_id AS clientId, from_role AS fromRole, from_name AS fromName, body, at';

export type SessionFrameStatements = ReturnType<typeof sessionFrameStatements>;

/** Append frames, as the app's connection does inside its transactions and the frame store thread in its own. */
export function frameInsert(c: Database.Database) {
  const insert = c.prepare<[NewFrameRow]>(
    'INSERT INTO session_messages (session_id, seq, client_id, sender_key, type, from_role, from_name, body, at) VALUES (@sessionId, @seq, @clientId, @senderKey, @type, @fromRole, @fromName, @body, @at)',
  );
  return (row: NewFrameRow) => void insert.run(row);
}

export function sessionFrameStatements(c: Database.Database) {
  const maxSeq = c.prepare<[number], { seq: number | null }>(
    'SELECT MAX(seq) AS seq FROM session_messages WHERE session_id = ?',
  );
  const byClient = c.prepare<[number, string, string], FrameRow>(
    `SELECT ${COLUMNS} FROM session_messages WHERE session_id = ? AND sender_key = ? AND client_id = ?`,
  );
  const bySeq = c.prepare<[number, number], FrameRow>(
    `SELECT ${COLUMNS} FROM session_messages WHERE session_id = ? AND seq = ?`,
  );
  const after = c.prepare<[number, number, number], FrameRow>(
    `SELECT ${COLUMNS} FROM session_messages WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  const status = c.prepare<[number], { status: string }>('SELECT status FROM sessions WHERE id = ?');
  const isClientFrame = c.prepare<[number, number, string, string], { one: 1 }>(
    'SELECT 1 AS one FROM session_messages WHERE session_id = ? AND seq = ? AND sender_key = ? AND client_id = ?',
  );
  const clientIds = c.prepare<[number], { senderKey: string; clientId: string; seq: number }>(
    'SELECT sender_key AS senderKey, client_id AS clientId, seq FROM session_messages WHERE session_id = ? AND client_id IS NOT NULL',
  );
  return {
    maxSeq: (sessionId: number) => maxSeq.get(sessionId)?.seq ?? 0,
    byClient: (sessionId: number, senderKey: string, clientId: string) => byClient.get(sessionId, senderKey, clientId),
    bySeq: (sessionId: number, seq: number) => bySeq.get(sessionId, seq),
    after: (sessionId: number, afterSeq: number, limit: number) => after.all(sessionId, afterSeq, limit),
    insert: frameInsert(c),
    /** Whether the frame at this seq is the sender's under this client id (one lookup by the seq index). */
    isClientFrame: (sessionId: number, seq: number, senderKey: string, clientId: string) =>
      isClientFrame.get(sessionId, seq, senderKey, clientId) !== undefined,
    /** Every client id stored in a session, with its seq (read through the session's seq index). */
    clientIds: (sessionId: number) => clientIds.all(sessionId),
    sessionStatus: (sessionId: number) => status.get(sessionId)?.status ?? null,
  };
}
