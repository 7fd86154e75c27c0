/** A real websocket client for session rooms in tests, and the demo parties to open rooms with. */
import WebSocket from 'ws';
import { newToken, sha256 } from '../modules/auth/tokens.js';
import type { TestApp } from './test-app.js';

export interface Frame {
  type: string;
  seq: number | null;
  id: string | null;
  from: { role: string; name: string };
  at: string;
  body: Record<string, unknown>;
}

export class SessionClient {
  readonly frames: Frame[] = [];
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame;
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(f)) return true;
        w.resolve(f);
        return false;
      });
    });
    ws.on('close', () => (this.closed = true));
  }

  /** Connect and send hello; resolves once the socket is open. */
  static async open(
    url: string,
    opts: { headers?: Record<string, string>; lastSeq?: number; autoPong?: boolean } = {},
  ): Promise<SessionClient> {
    const ws = new WebSocket(url, { headers: opts.headers ?? {}, autoPong: opts.autoPong ?? true });
    const client = new SessionClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    client.send({ type: 'hello', lastSeq: opts.lastSeq ?? 0 });
    return client;
  }

  /** The HTTP status an upgrade was refused with. */
  static refusal(url: string, headers: Record<string, string> = {}): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('open', () => {
        ws.close();
        reject(new Error('the upgrade was accepted'));
      });
      ws.once('error', () => undefined);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (already received or to come) that matches. */
  waitFor(pred: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const seen = this.frames.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`)),
        timeoutMs,
      );
      this.waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** The frame answering a client frame of ours (stored or refused), by its id. */
  answer(id: string, timeoutMs?: number): Promise<Frame> {
    return this.waitFor((f) => f.id === id && (f.type === 'error' || f.seq !== null), timeoutMs);
  }

  /** Send a frame and wait for its answer. */
  async request(frame: { type: string; id: string; body: unknown }): Promise<Frame> {
    const known = this.frames.length;
    this.send(frame);
    return this.waitFor((f) => this.frames.indexOf(f) >= known && f.id === frame.id);
  }

  /** Seqs of the stored frames received, in order. */
  seqs(): number[] {
    return this.frames.filter((f) => f.seq !== null).map((f) => f.seq!);
  }

  waitClosed(timeoutMs = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('still open')), timeoutMs);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** The parties of a session: a debtor, a creditor and the debtor's open claims with that creditor. */
export interface PartyGroup {
  debtorId: number;
  creditorOrgId: number;
  claimIds: number[];
}

/** A signed-in debtor: the same auth_sessions row the portal's sign-in makes. */
export function debtorHeaders(t: TestApp, debtorId: number): { authorization: string; token: string } {
  const token = newToken();
  t.database.sqlite
    .prepare(
      'insert into auth_sessions (token_hash, user_id, debtor_id, created_at, expires_at) values (?, null, ?, ?, ?)',
    )
    .run(sha256(token), debtorId, Date.parse('2026-01-01'), Date.parse('2027-01-01'));
  return { authorization: `Bearer ${token}`, token };
}

export const creditorUser = (t: TestApp, orgId: number) =>
  (
    t.database.sqlite.prepare("select username from users where org_id = ? and role = 'creditor'").get(orgId) as {
      username: string;
    }
  ).username;

/** Schedule and start a session over the group's claims, and connect the mediator, creditor representative and debtor (all live). */
export async function openRoom(t: TestApp, base: string, g: PartyGroup) {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/sessions',
    headers: await t.as('mediator1'),
    payload: {
      claimIds: g.claimIds,
      mode: 'online',
      scheduledAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
    },
  });
  if (created.statusCode !== 201) throw new Error(`session not created: ${created.body}`);
  const session = created.json() as { id: number };
  const started = await t.app.inject({
    method: 'POST',
    url: `/api/sessions/${session.id}/start`,
    headers: await t.as('mediator1'),
  });
  if (started.statusCode !== 200) throw new Error(`session not started: ${started.body}`);
  const url = `${base}/ws/sessions/${session.id}`;
  const creditorName = creditorUser(t, g.creditorOrgId);
  const debtor = debtorHeaders(t, g.debtorId);
  const mediator = await SessionClient.open(url, { headers: await t.as('mediator1') });
  const creditor = await SessionClient.open(url, { headers: await t.as(creditorName) });
  const debtorClient = await SessionClient.open(url, { headers: { authorization: debtor.authorization } });
  // Each is live once it sees the debtor, the last to arrive.
  for (const c of [mediator, creditor, debtorClient])
    await c.waitFor((f) => f.type === 'presence' && f.from.role === 'debtor');
  return {
    g,
    session,
    url,
    creditorName,
    debtor,
    mediator,
    creditor,
    debtorClient,
    clients: [mediator, creditor, debtorClient],
  };
}
