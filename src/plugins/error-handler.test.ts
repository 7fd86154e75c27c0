import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { toAppError } from './error-handler.js';

describe('error handler: problem+json for every failure', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const transition = async (payload: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/claims/1/transitions',
      headers: { 'content-type': 'application/json', ...(await t.as('mediator1')), ...headers },
      payload,
    });

  async function unchanged(fn: () => Promise<void>) {
    const before = t.database.sqlite
      .prepare('select (select count(*) from claim_events) e, (select sum(version) from claims) v')
      .get();
    await fn();
    expect(
      t.database.sqlite
        .prepare('select (select count(*) from claim_events) e, (select sum(version) from claims) v')
        .get(),
    ).toEqual(before);
  }

  it('malformed JSON → 400 malformed_json, nothing written', async () => {
    await unchanged(async () => {
      const res = await transition('{"action": "notify", ');
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'malformed_json', status: 400, instance: '/api/claims/1/transitions' });
    });
  });

  it('unknown field → 400 naming the field', async () => {
    await unchanged(async () => {
      const res = await transition(JSON.stringify({ action: 'notify', version: 1, admin: true }));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'validation_failed',
        fields: [{ field: '/body/admin', message: 'is not a known field' }],
      });
    });
  });

  it('wrong types are not coerced: a numeric string is not a version', async () => {
    await unchanged(async () => {
      const res = await transition(JSON.stringify({ action: 'notify', version: '1' }));
      expect(res.statusCode).toBe(400);
      expect(res.json().fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: '/body/version' })]));
    });
  });

  it('missing field and unknown action are both listed at once', async () => {
    const res = await transition(JSON.stringify({ action: 'teleport' }));
    expect(res.statusCode).toBe(400);
    const fields = res.json().fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['/body/version', '/body/action']));
  });

  it('oversized body → 413', async () => {
    await unchanged(async () => {
      const res = await transition(
        JSON.stringify({ action: 'notify', version: 1, reason: 'x'.repeat(t.config.bodyLimitBytes + 10) }),
      );
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ code: 'payload_too_large' });
    });
  });

  it('a wrong content type → 415', async () => {
    const res = await transition('action=notify', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('unknown route → 404 problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here?secret=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', instance: '/api/nothing-here' });
  });

  it('a bad path parameter → 400', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/claims/abc', headers: await t.as('creditor1') });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields[0].field).toBe('/params/id');
  });

  it('never sends a stack trace: an unexpected error becomes a 500 with a request id', () => {
    const err = toAppError(new TypeError('secret internals at /work/main/src/x.ts:12'), 1024);
    expect(err.code).toBe('internal');
    expect(err.detail).not.toMatch(/secret|\.ts|at /);
  });

  it("a unique key lost in a race is a 409 without SQLite's text; other database errors stay a bare 500", () => {
    const db = new Database(':memory:');
    db.exec('create table t (k text unique); insert into t values (1)');
    const clash = (() => {
      try {
        db.prepare('insert into t values (1)').run();
      } catch (err) {
        return err;
      }
    })();
    const bad = (() => {
      try {
        db.prepare('select nothing from nowhere').run();
      } catch (err) {
        return err;
      }
    })();
    db.close();
    expect(String(clash)).toMatch(/UNIQUE constraint failed/);
    const e = toAppError(clash, 1024);
    expect(e).toMatchObject({ code: 'duplicate', status: 409 });
    expect(toAppError(bad, 1024)).toMatchObject({ code: 'internal', status: 500 });
    for (const x of [e, toAppError(bad, 1024)]) expect(x.detail).not.toMatch(/constraint|sqlite|nowhere|table/i);
  });

  it('maps each domain error code to its status', () => {
    expect(toAppError(new AppError('version_conflict', 'x'), 1).status).toBe(409);
    expect(toAppError(new AppError('rate_limited', 'x'), 1).status).toBe(429);
    expect(toAppError(Object.assign(new Error('x'), { statusCode: 429 }), 1).code).toBe('rate_limited');
  });

  describe('in Chinese for people who read Chinese (Accept-Language starting with zh)', () => {
    it('a Chinese title and field messages, Content-Language zh-CN, the detail still English; nothing written', async () => {
      await unchanged(async () => {
        const res = await transition(JSON.stringify({ action: 'notify', version: '1', admin: true }), {
          'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5',
        });
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-language']).toBe('zh-CN');
        const body = res.json();
        expect(body).toMatchObject({ code: 'validation_failed', title: '请求内容有误，请按字段提示修改后重试' });
        expect(body.detail).toMatch(/^Fix the listed fields/);
        expect(body.fields).toEqual(
          expect.arrayContaining([
            { field: '/body/admin', message: '不是可接受的字段' },
            { field: '/body/version', message: '应为整数' },
          ]),
        );
      });
    });

    it('translates the messages services write, and the 404 of an unknown route', async () => {
      const zh = { 'accept-language': 'zh' };
      const cursor = await t.app.inject({
        method: 'GET',
        url: '/api/claims?after=zzz',
        headers: { ...(await t.as('creditor1')), ...zh },
      });
      expect(cursor.json().fields).toEqual([{ field: '/querystring/after', message: '不是有效的翻页标记' }]);
      const missing = await t.app.inject({ method: 'GET', url: '/api/nothing-here', headers: zh });
      expect(missing.json()).toMatchObject({ code: 'not_found', title: '未找到，或您无权查看' });
    });

    it('stays English otherwise, including a language list that only prefers zh later', async () => {
      for (const language of [undefined, 'en-US,zh;q=0.8', 'fr']) {
        const res = await transition(JSON.stringify({ action: 'notify', version: 1, admin: true }), {
          ...(language ? { 'accept-language': language } : {}),
        });
        expect(res.headers['content-language']).toBeUndefined();
        expect(res.json()).toMatchObject({
          title: 'The request is not valid',
          fields: [{ field: '/body/admin', message: 'is not a known field' }],
        });
      }
    });
  });
});
