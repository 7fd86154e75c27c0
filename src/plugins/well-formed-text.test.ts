/**
 * Text that is not well-formed Unicode is refused at every edge with a 400 naming the field, and
 * nothing is written: a lone surrogate once stored broke a claim's event chain for good.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientFrame } from '../modules/sessions/frames.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

describe('well-formed text at the edge', () => {
  let t: TestApp;
  let claim: { id: number; version: number };
  const counts = () =>
    t.database.sqlite
      .prepare('select (select count(*) from claim_events) events, (select sum(version) from claims) versions')
      .get();
  const events = async (id: number) =>
    (await t.app.inject({ method: 'GET', url: `/api/claims/${id}/events`, headers: await t.as('mediator1') })).json();

  beforeAll(async () => {
    t = await createTestApp();
    claim = t.database.sqlite
      .prepare(
        `select c.id, c.version from claims c join users u on u.org_id = c.mediation_org_id
         where u.username = 'mediator1' and c.stage = 'people_mediation' and c.status = 'notified' and c.hold is null limit 1`,
      )
      .get() as typeof claim;
  });
  afterAll(() => t.close());

  it('refuses a lone surrogate in a JSON body, naming the field; the chain still verifies', async () => {
    const before = counts();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/claims/${claim.id}/transitions`,
      headers: { ...(await t.as('mediator1')), 'content-type': 'application/json' },
      payload: JSON.stringify({ action: 'open_session', reason: 'r \ud800 r', version: claim.version }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', fields: [{ field: '/body/reason' }] });
    expect(counts()).toEqual(before);
    expect((await events(claim.id)).chain).toEqual({ valid: true });
  });

  it('refuses bytes that are not UTF-8 in a JSON body', async () => {
    const before = counts();
    const payload = Buffer.concat([
      Buffer.from(`{"action":"open_session","version":${claim.version},"reason":"r `),
      Buffer.from([0xed, 0xa0, 0x80, 0xff]),
      Buffer.from(' r"}'),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/claims/${claim.id}/transitions`,
      headers: { ...(await t.as('mediator1')), 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([expect.objectContaining({ field: '/body/reason' })]);
    expect(counts()).toEqual(before);
  });

  it('refuses malformed text in a query string', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/claims?q=%ED%A0%80', headers: await t.as('mediator1') });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([expect.objectContaining({ field: '/querystring/q' })]);
  });

  it('refuses malformed text in a multipart field, and keeps nothing of the upload', async () => {
    const boundary = `----lmp${crypto.randomBytes(8).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="reference"\r\n\r\nREF-`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.csv"\r\nContent-Type: text/csv\r\n\r\ncontract_no\r\n--${boundary}--\r\n`,
      ),
    ]);
    const batches = () => t.database.sqlite.prepare('select count(*) n from batches').get();
    const before = batches();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/batches',
      headers: { ...(await t.as('creditor1')), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([expect.objectContaining({ field: '/body/reference' })]);
    expect(batches()).toEqual(before);
  });

  it('refuses a session frame holding malformed text, naming the field, before it is stored', () => {
    const frame = parseClientFrame(JSON.stringify({ type: 'chat', id: 'c1', body: { text: 'hi \udc00' } }));
    expect(frame).toMatchObject({ code: 'invalid_frame', id: 'c1' });
    expect((frame as { detail: string }).detail).toContain('/body/text');
    expect(parseClientFrame(JSON.stringify({ type: 'chat', id: 'c2', body: { text: '你好' } }))).toMatchObject({
      type: 'chat',
    });
  });

  it('reads ids in paths as decimal digits only', async () => {
    const headers = await t.as('mediator1');
    const hex = await t.app.inject({ method: 'GET', url: `/api/claims/0x${claim.id.toString(16)}`, headers });
    expect(hex.statusCode).toBe(400);
    expect(hex.json().fields).toEqual([expect.objectContaining({ field: '/params/id' })]);
    for (const spelling of [`${claim.id}e0`, `%20${claim.id}`, `${claim.id}.0`])
      expect((await t.app.inject({ method: 'GET', url: `/api/claims/${spelling}`, headers })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/claims/${claim.id}`, headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/claims?limit=0x10', headers })).statusCode).toBe(400);
  });
});
