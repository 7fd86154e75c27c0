import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeClaim } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { createClaimService } from '../claims/service.js';
import { createConfirmationService } from '../court/confirmation.js';
import { createCourtRecordService } from '../court/court-record-service.js';
import { createClaimActionService } from './service.js';

type Row = Record<string, number | string | null>;
type Item = { claimId: number; status: string; code: string | null; rule: string | null; detail: string | null };

describe('one lifecycle action over many claims (POST /api/claims/actions)', () => {
  let t: TestApp;
  let key = 0;
  const one = (q: string, ...args: unknown[]) => t.database.sqlite.prepare(q).get(...args) as Row;
  const position = (id: number) => one('select stage, status from claims where id = ?', id);
  const eventsOf = (id: number) => one('select count(*) n from claim_events where claim_id = ?', id).n;
  const jobs = () =>
    one('select (select count(*) from claim_action_jobs) jobs, (select count(*) from claim_action_items) items');
  const send = async (body: Record<string, unknown>, who = 'creditor1') =>
    t.app.inject({ method: 'POST', url: '/api/claims/actions', headers: await t.as(who), payload: body });
  /** The job once it has run to its end. */
  const finished = async (id: number, who = 'creditor1', query = '') => {
    for (let i = 0; i < 200; i++) {
      const res = await t.app.inject({ url: `/api/claims/actions/${id}${query}`, headers: await t.as(who) });
      if (res.json().status !== 'running')
        return res.json() as {
          status: string;
          items: Item[];
          done: number;
          refused: number;
          notFound: number;
          pending: number;
          total: number;
          nextCursor: number | null;
        };
      await sleep(20);
    }
    throw new Error(`job ${id} did not finish`);
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('escalates each claim it may, refuses the rest with the rule, and never touches another tenant’s claim', async () => {
    const failed = [0, 1, 2].map(() => makeClaim(t, { at: 'failed' }).claim.id);
    const notified = makeClaim(t, { at: 'notified' }).claim.id;
    const foreign = makeClaim(t, { at: 'failed', creditor: 'CRED-B' }).claim.id;
    const foreignEvents = eventsOf(foreign);
    const notifiedEvents = eventsOf(notified);

    const res = await send({
      action: 'escalate',
      claimIds: [...failed, notified, foreign, 99_999_999],
      clientKey: `k${++key}`,
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.headers.location).toBe(`/api/claims/actions/${res.json().id}`);
    const job = await finished(res.json().id);
    expect(job).toMatchObject({ status: 'done', total: 6, done: 3, refused: 1, notFound: 2, pending: 0 });
    const byClaim = new Map(job.items.map((i) => [i.claimId, i]));
    for (const id of failed) {
      expect(byClaim.get(id)!.status).toBe('done');
      expect(position(id)).toEqual({ stage: 'court_mediation', status: 'awaiting_contact' });
    }
    // Escalating into court mediation opens its numbered case, as a single escalation does.
    expect(
      one("select count(*) n from court_cases where claim_id = ? and kind = 'pre_litigation_mediation'", failed[0]).n,
    ).toBe(1);
    expect(byClaim.get(notified)).toMatchObject({
      status: 'refused',
      code: 'transition_forbidden',
      rule: 'not_allowed_in_state',
    });
    expect(position(notified)).toEqual({ stage: 'people_mediation', status: 'notified' });
    expect(eventsOf(notified)).toBe(notifiedEvents);
    expect(byClaim.get(foreign)).toMatchObject({ status: 'not_found', code: 'not_found' });
    expect(position(foreign)).toEqual({ stage: 'people_mediation', status: 'failed' });
    expect(eventsOf(foreign)).toBe(foreignEvents);
    // The other tenant cannot read the job either.
    const peek = await t.app.inject({ url: `/api/claims/actions/${res.json().id}`, headers: await t.as('creditor2') });
    expect(peek.statusCode).toBe(404);
  });

  it('fails alone a claim whose step meets a fault of ours, the claims around it in the same slice done', async () => {
    const ids = [0, 1, 2].map(() => makeClaim(t, { at: 'failed' }).claim.id);
    const broken = ids[1]!;
    const brokenEvents = eventsOf(broken);
    // The database refuses the last write of this one claim's step (its event), as a full disk would:
    // the claim's move and its court case, written before, must go back with it.
    t.database.sqlite.exec(
      `create trigger fault_on_claim before insert on claim_events when new.claim_id = ${broken} begin select raise(abort, 'disk I/O error'); end`,
    );
    try {
      const res = await send({ action: 'escalate', claimIds: ids, clientKey: `k${++key}` });
      const job = await finished(res.json().id);
      expect(job).toMatchObject({ status: 'done', done: 2, refused: 1 });
      expect(job.items.find((i) => i.claimId === broken)).toMatchObject({
        status: 'failed',
        code: 'internal',
        detail: 'disk I/O error',
      });
      expect(position(broken)).toEqual({ stage: 'people_mediation', status: 'failed' });
      expect(eventsOf(broken)).toBe(brokenEvents);
      expect(one('select count(*) n from court_cases where claim_id = ?', broken).n).toBe(0);
      for (const id of [ids[0]!, ids[2]!])
        expect(position(id)).toEqual({ stage: 'court_mediation', status: 'awaiting_contact' });
    } finally {
      t.database.sqlite.exec('drop trigger fault_on_claim');
    }
  });

  it('answers the same job for the same request under its client key, and 409 for another request under it', async () => {
    const ids = [makeClaim(t, { at: 'failed' }).claim.id];
    const body = { action: 'escalate', claimIds: ids, clientKey: `k${++key}` };
    const first = await send(body);
    expect(first.statusCode).toBe(202);
    await finished(first.json().id);
    const before = jobs();
    const again = await send(body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, status: 'done', done: 1 });
    const other = await send({ ...body, reason: 'another request' });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'duplicate', reason: 'client_key_used' });
    expect(jobs()).toEqual(before);
  });

  it('takes the claims of a filter within the tenancy', async () => {
    const mine = makeClaim(t, { at: 'failed' }).claim.id;
    const res = await send({
      action: 'escalate',
      filter: { stage: 'people_mediation', status: 'failed' },
      clientKey: `k${++key}`,
    });
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(res.json().id, 'creditor1', '?status=done');
    expect(job.items.map((i) => i.claimId)).toContain(mine);
    expect(job.notFound).toBe(0);
    expect(position(mine)).toEqual({ stage: 'court_mediation', status: 'awaiting_contact' });
  });

  it('grants the pending confirmations of many claims for the clerk, each with its 民特 number', async () => {
    const claims = [0, 1].map(() => makeClaim(t, { at: 'agreed' }).claim);
    for (const c of claims) {
      const applied = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${c.id}/confirmation`,
        headers: await t.as('mediator1'),
        payload: { version: c.version },
      });
      expect(applied.statusCode, applied.body).toBe(201);
    }
    const unapplied = makeClaim(t, { at: 'agreed' }).claim.id;
    const res = await send(
      { action: 'grant_confirmation', claimIds: [...claims.map((c) => c.id), unapplied], clientKey: `k${++key}` },
      'clerk1',
    );
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(res.json().id, 'clerk1');
    expect(job).toMatchObject({ done: 2, refused: 1 });
    for (const c of claims) {
      expect(position(c.id)).toEqual({ stage: 'people_mediation', status: 'confirmed' });
      expect(
        String(one("select case_no n from court_cases where claim_id = ? and kind = 'judicial_confirmation'", c.id).n),
      ).toMatch(/^（2026）闽0502民特\d+号$/);
    }
    expect(job.items.find((i) => i.claimId === unapplied)).toMatchObject({
      status: 'refused',
      rule: 'no_court_case',
      message: '案件没有可办理此操作的法院案件，可能已由他人处理，请刷新后查看',
    });
    expect(job.items.find((i) => i.claimId === claims[0]!.id)).toMatchObject({ status: 'done', message: null });
    expect(position(unapplied)).toEqual({ stage: 'people_mediation', status: 'agreed' });
  });

  it('records a measure on the enforcement case of each claim', async () => {
    const listed = [0, 1].map(() => makeClaim(t, { at: 'listed' }).claim.id);
    const records = (id: number) => one('select count(*) n from credit_records where claim_id = ?', id).n as number;
    const before = listed.map(records);
    const res = await send(
      {
        action: 'record_measure',
        claimIds: listed,
        measure: { kind: 'account_freeze', on: '2026-11-19' },
        clientKey: `k${++key}`,
      },
      'clerk1',
    );
    expect(res.statusCode, res.body).toBe(202);
    expect(await finished(res.json().id, 'clerk1')).toMatchObject({ done: 2, refused: 0 });
    expect(listed.map(records)).toEqual(before.map((n) => n + 1));
  });

  it('refuses a request that does not say which claims or what to record, and starts nothing', async () => {
    const before = jobs();
    const id = makeClaim(t, { at: 'failed' }).claim.id;
    for (const [body, field] of [
      [{ action: 'escalate', clientKey: 'bad-1' }, '/body/claimIds'],
      [
        { action: 'escalate', claimIds: [id], filter: { stage: 'people_mediation' }, clientKey: 'bad-2' },
        '/body/claimIds',
      ],
      [{ action: 'record_measure', claimIds: [id], clientKey: 'bad-3' }, '/body/measure'],
      [
        {
          action: 'escalate',
          claimIds: [id],
          measure: { kind: 'account_freeze', on: '2026-11-19' },
          clientKey: 'bad-4',
        },
        '/body/measure',
      ],
    ] as const) {
      const res = await send(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    // A step that writes a court record of its own is not run through the generic action.
    const judge = await send({ action: 'judge', claimIds: [id], clientKey: 'bad-5' });
    expect(judge.statusCode).toBe(400);
    const empty = await send({ action: 'escalate', filter: { q: 'no-such-contract-anywhere' }, clientKey: 'bad-6' });
    expect(empty.statusCode).toBe(422);
    expect((await send({ action: 'escalate', claimIds: [id], clientKey: 'bad-7' }, 'admin')).statusCode).toBe(403);
    expect(jobs()).toEqual(before);
    expect(position(id)).toEqual({ stage: 'people_mediation', status: 'failed' });
  });

  it('goes on with a job a stop interrupted when the same request is sent again, doing no claim twice', async () => {
    const ids = Array.from({ length: 30 }, () => makeClaim(t, { at: 'failed' }).claim.id);
    const body = { action: 'escalate' as const, claimIds: ids, clientKey: `k${++key}` };
    // Another server process on the same database starts the job and stops after its first claim.
    const reference = t.reference;
    const claims = createClaimService({ db: t.db, clock: t.clock, crypto: t.crypto, reference });
    const other = createClaimActionService({
      db: t.db,
      clock: t.clock,
      claims,
      confirmations: createConfirmationService({ db: t.db, clock: t.clock, reference }),
      records: createCourtRecordService({ db: t.db, clock: t.clock, reference }),
      listClaims: (p, f) => claims.list(p, f),
    });
    const principal = {
      kind: 'user',
      role: 'creditor',
      userId: Number(one("select id from users where username = 'creditor1'").id),
      orgId: Number(one("select id from organisations where code = 'CRED-A'").id),
      orgKind: 'creditor',
      name: 'creditor1',
    } as const;
    const started = other.start(principal, body);
    await other.close();
    const cut = (
      await t.app.inject({ url: `/api/claims/actions/${started.job.id}`, headers: await t.as('creditor1') })
    ).json();
    expect(cut.status).toBe('interrupted');
    expect(cut.pending).toBeGreaterThan(0);
    expect(cut.done).toBeGreaterThan(0);

    const again = await send(body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(started.job.id);
    expect(await finished(started.job.id)).toMatchObject({ status: 'done', done: 30, refused: 0 });
    for (const id of ids) {
      expect(position(id)).toEqual({ stage: 'court_mediation', status: 'awaiting_contact' });
      expect(one("select count(*) n from claim_events where claim_id = ? and action = 'escalate'", id).n).toBe(1);
    }
  });

  it('pushes progress on a socket until the job is finished, and pages its items', async () => {
    const ids = Array.from({ length: 60 }, () => makeClaim(t, { at: 'failed' }).claim.id);
    const headers = await t.as('creditor1');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const res = await send({ action: 'escalate', claimIds: ids, clientKey: `k${++key}` });
    const frames: { type: string; job: { status: string; done: number } }[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/claims/actions/${res.json().id}`, { headers });
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (m) => frames.push(JSON.parse(String(m))));
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
    expect(frames[0]!.type).toBe('snapshot');
    expect(frames[frames.length - 1]!.job).toMatchObject({ status: 'done', done: 60 });
    const page = await finished(res.json().id, 'creditor1', '?limit=25');
    expect(page.items).toHaveLength(25);
    const rest = await finished(res.json().id, 'creditor1', `?limit=50&after=${page.nextCursor}`);
    expect([...page.items, ...rest.items].map((i) => i.claimId)).toEqual(ids);
    expect(rest.nextCursor).toBeNull();
  });
});
