/**
 * Sessions left live past their end (job sessions.close-past-end): on the test's clock a session a
 * minute before its end stays live; past it, a run in this process and one in a child process
 * (`npm run jobs`, on the real clock, which is later still) end it once between them, as adjourned,
 * with the record's `ended` frame saying why; the sockets connected to it get that frame and close
 * normally, and the frames that follow (who left) take the next seqs.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeParties } from '../testing/factories.js';
import { type Frame, openRoom } from '../testing/session-client.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { main as closePastEnd } from './sessions-close-past-end.js';

const root = path.resolve(import.meta.dirname, '../..');
type Row = Record<string, number | string | null>;

describe('sessions left live past their end', () => {
  const key = crypto.randomBytes(32).toString('base64');
  let t: TestApp;
  let base: string;
  let env: Record<string, string>;
  const all = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).all(...args) as Row[];
  const one = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).get(...args) as Row;

  beforeEach(async () => {
    env = { DATA_KEY: key, LOG_LEVEL: 'silent', SESSION_HEARTBEAT_SECONDS: '1', SESSION_MAX_MINUTES: '120' };
    t = await createTestApp({ env });
    env = { ...env, DATA_DIR: t.dataDir, DB_BUSY_TIMEOUT_MS: '20000' };
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterEach(() => t.close());

  /** `npm run jobs -- sessions.close-past-end` in a child process; resolves with its exit code. */
  const cliRun = () =>
    new Promise<number | null>((resolve) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/jobs.ts', 'sessions.close-past-end'], {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      proc.on('exit', (code) => resolve(code));
    });

  it('ends a live session once past its end, with its record, and closes its sockets with the ended frame', async () => {
    const room = await openRoom(t, base, makeParties(t, 1));
    const id = room.session.id;
    const chat = await room.mediator.request({ type: 'chat', id: 'c1', body: { text: '请双方确认金额。' } });
    expect(chat.seq).toEqual(expect.any(Number));
    const closes = room.clients.map(
      (c) =>
        new Promise<[number, string]>((resolve) => c.ws.once('close', (code, why) => resolve([code, String(why)]))),
    );
    const input = { env, dbFile: path.join(t.dataDir, 'platform.db'), clock: t.clock };
    const claimsBefore = all(
      'select id, stage, status, version from claims where id in (select claim_id from session_claims where session_id = ?)',
      id,
    );

    // Scheduled an hour on and started now: it ends 120 minutes after its slot began.
    t.clock.advance((60 + 119) * 60_000);
    expect(await closePastEnd(input)).toMatchObject({ done: 0, failed: 0 });
    expect(one('select status from sessions where id = ?', id)).toEqual({ status: 'live' });

    t.clock.advance(2 * 60_000);
    const [here, cli] = await Promise.all([closePastEnd(input), cliRun()]);
    expect(cli).toBe(0);
    const runs = all(
      "select processed, failed, detail from job_runs where job = 'sessions.close-past-end' order by id",
    );
    expect(runs).toHaveLength(3);
    expect(runs.reduce((n, r) => n + (r.processed as number), 0)).toBe(1);
    expect(runs.every((r) => r.failed === 0)).toBe(true);
    expect(here).toMatchObject({ failed: 0 });

    expect(one('select status, outcome from sessions where id = ?', id)).toEqual({
      status: 'ended',
      outcome: 'adjourned',
    });
    const ended = all(
      "select seq, from_role, body from session_messages where session_id = ? and type = 'system' and body like '%\"ended\"%'",
      id,
    );
    expect(ended).toHaveLength(1);
    expect(JSON.parse(ended[0]!.body as string)).toEqual({
      event: 'ended',
      outcome: 'adjourned',
      reason: 'past_end',
      endsAt: expect.any(String),
    });
    // Adjourned: the claims stay where they were.
    expect(
      all(
        'select id, stage, status, version from claims where id in (select claim_id from session_claims where session_id = ?)',
        id,
      ),
    ).toEqual(claimsBefore);

    // Within a heartbeat every socket gets the ended frame, then a normal close.
    for (const [i, c] of room.clients.entries()) {
      await c.waitFor((f: Frame) => f.type === 'system' && f.body.event === 'ended', 5000);
      expect(await closes[i]).toEqual([1000, 'session ended']);
    }
    // Who left is recorded after the end, at the next seqs: the hub read the seq the job took.
    await expect
      .poll(
        () =>
          one(
            "select count(*) n from session_messages where session_id = ? and type = 'presence' and seq > ?",
            id,
            ended[0]!.seq,
          ).n,
      )
      .toBeGreaterThan(0);
    const seqs = all('select seq from session_messages where session_id = ? order by seq', id).map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));

    // The transcript holds it; another run does nothing.
    const transcript = await t.app.inject({ url: `/api/sessions/${id}/transcript`, headers: await t.as('mediator1') });
    expect(transcript.statusCode).toBe(200);
    const frames = transcript.json().frames as Frame[];
    expect(frames.filter((f) => f.body.event === 'ended')).toEqual([
      expect.objectContaining({ seq: ended[0]!.seq, body: expect.objectContaining({ reason: 'past_end' }) }),
    ]);
    expect(await closePastEnd(input)).toMatchObject({ done: 0 });
    expect(all('select seq from session_messages where session_id = ? and body like \'%"ended"%\'', id)).toHaveLength(
      1,
    );
  }, 60_000);
});
