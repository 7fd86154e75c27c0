import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MakeClaimOptions, makeClaim } from '../../testing/factories.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import type { Position } from '../admin/demo-positions.js';
import type { ClaimView } from './schemas.js';

type Page = { items: ClaimView[]; nextCursor: string | null };

let t: TestApp;

/** The describe block gets an app of its own with the demo data. */
function useFreshApp() {
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
}

describe('claims API', () => {
  const orgId = (code: string) =>
    (t.database.sqlite.prepare('select id from organisations where code = ?').get(code) as { id: number }).id;
  const counts = () =>
    t.database.sqlite
      .prepare('select (select count(*) from claim_events) events, (select sum(version) from claims) versions')
      .get();
  const get = async (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: await t.as(who) });
  const all = async (who: string, query = '') => {
    const items: ClaimView[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(who, `/api/claims?limit=37${query}${cursor ? `&after=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as Page;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };
  /** A claim of its own at a position, as `who` reads it. */
  const made = async (who: string, at: Position, opts: MakeClaimOptions = {}) =>
    (await get(who, `/api/claims/${makeClaim(t, { at, ...opts }).claimId}`)).json() as ClaimView;

  describe('reading the demo data', () => {
    useFreshApp();

    describe('listing', () => {
      it("pages through all of a creditor's claims, in id order, each once, and only theirs", async () => {
        const items = await all('creditor1');
        expect(items).toHaveLength(100);
        const ids = items.map((c) => c.id);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        expect(new Set(ids).size).toBe(100);
        expect(items.every((c) => c.creditor.id === orgId('CRED-A'))).toBe(true);
      });

      it("shows mediators their organisation's claims and the court its own", async () => {
        expect(await all('mediator1')).toHaveLength(200);
        expect(await all('clerk1')).toHaveLength(200);
      });

      it('filters by stage and status', async () => {
        const items = await all('creditor1', '&stage=people_mediation&status=notified');
        expect(items.length).toBeGreaterThan(0);
        expect(items.every((c) => c.stage === 'people_mediation' && c.status === 'notified')).toBe(true);
      });

      it('filters by overdue range and class', async () => {
        const items = await all('mediator1', '&overdueMin=91&overdueMax=270');
        expect(items.length).toBeGreaterThan(0);
        expect(items.every((c) => c.overdueDays >= 91 && c.overdueDays <= 270)).toBe(true);
        const lost = await all('mediator1', '&loanClass=loss');
        expect(lost.length).toBeGreaterThan(0);
        expect(lost.every((c) => c.loanClass === 'loss')).toBe(true);
      });

      it('filters by batch', async () => {
        t.database.sqlite
          .prepare("insert into batches (id, creditor_org_id, status, created_at) values (900, ?, 'committed', 0)")
          .run(orgId('CRED-A'));
        t.database.sqlite.prepare('update claims set batch_id = 900 where id in (1, 3, 5)').run();
        const items = await all('creditor1', '&batchId=900');
        expect(items.map((c) => c.id)).toEqual([1, 3, 5]);
      });

      it('finds by contract-number prefix or part of the debtor name, with LIKE wildcards taken literally', async () => {
        const sample = (await all('creditor1'))[10]!;
        const byContract = await all('creditor1', `&q=${encodeURIComponent(sample.contractNo)}`);
        expect(byContract.map((c) => c.id)).toEqual([sample.id]);
        const byName = await all('creditor1', `&q=${encodeURIComponent(sample.debtor.name)}`);
        expect(byName.map((c) => c.id)).toContain(sample.id);
        expect(byName.every((c) => c.debtor.name.includes(sample.debtor.name))).toBe(true);
        expect(await all('creditor1', '&q=%25')).toHaveLength(0);
      });

      it('lists soonest deadline first with sort=deadline, claims without one last, each once across pages', async () => {
        const items = await all('clerk1', '&sort=deadline');
        expect(items).toHaveLength(200);
        expect(new Set(items.map((c) => c.id)).size).toBe(200);
        const key = (c: ClaimView) => c.stageDeadline ?? '~';
        const dated = items.filter((c) => c.stageDeadline !== null);
        expect(dated.length).toBeGreaterThan(10);
        expect(items.slice(0, dated.length)).toEqual(dated);
        for (let i = 1; i < items.length; i++) {
          const [a, b] = [items[i - 1]!, items[i]!];
          expect(key(a) < key(b) || (key(a) === key(b) && a.id < b.id), `${a.id} before ${b.id}`).toBe(true);
        }
        // A cursor of one order is refused in the other.
        const first = (await get('clerk1', '/api/claims?limit=5&sort=deadline')).json() as Page;
        expect((await get('clerk1', `/api/claims?after=${first.nextCursor}`)).statusCode).toBe(400);
      });

      it('refuses an invented cursor and an unknown filter', async () => {
        expect((await get('creditor1', '/api/claims?after=bm9wZQ')).statusCode).toBe(400);
        expect((await get('creditor1', '/api/claims?colour=red')).statusCode).toBe(400);
      });

      it('masks personal data in answers', async () => {
        const [c] = (await get('creditor1', '/api/claims?limit=1')).json().items as ClaimView[];
        expect(c!.debtor.idNumberMasked).toMatch(/^\d{6}\*{10}[\dX]{2}$/);
        expect(c!.debtor.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
      });
    });

    describe('tenancy', () => {
      it("creditor B gets 404 for creditor A's claim, its events and its transitions, and nothing changes", async () => {
        const aClaim = (await all('creditor1'))[0]!;
        const before = counts();
        for (const url of [`/api/claims/${aClaim.id}`, `/api/claims/${aClaim.id}/events`]) {
          const res = await get('creditor2', url);
          expect(res.statusCode).toBe(404);
          expect(res.json().code).toBe('not_found');
        }
        const post = await t.app.inject({
          method: 'POST',
          url: `/api/claims/${aClaim.id}/transitions`,
          headers: await t.as('creditor2'),
          payload: { action: 'withdraw', version: aClaim.version },
        });
        expect(post.statusCode).toBe(404);
        expect(counts()).toEqual(before);
      });
    });
  });

  describe('transitions', () => {
    useFreshApp();

    it('runs an allowed action, bumps the version and writes the event', async () => {
      const claim = await made('mediator1', 'notified');
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${claim.id}/transitions`,
        headers: await t.as('mediator1'),
        payload: { action: 'open_session', reason: '电话联系上债务人', version: claim.version },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: claim.id, status: 'in_session', version: claim.version + 1 });
      const events = (await get('mediator1', `/api/claims/${claim.id}/events`)).json();
      expect(events.events.at(-1)).toMatchObject({
        action: 'open_session',
        reason: '电话联系上债务人',
        actor: { kind: 'mediator', name: '陈调解员' },
        at: '2026-11-20T02:00:00.000Z',
      });
      expect(events.chain.valid).toBe(true);
    });

    it('answers 409 transition_forbidden with the lifecycle reason, and writes nothing', async () => {
      const claim = await made('creditor1', 'awaiting_contact');
      const before = counts();
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${claim.id}/transitions`,
        headers: await t.as('creditor1'),
        payload: { action: 'judge', version: claim.version },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'transition_forbidden', reason: 'not_allowed_in_state' });
      const byRole = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${claim.id}/transitions`,
        headers: await t.as('creditor1'),
        payload: { action: 'notify', version: claim.version },
      });
      expect(byRole.json()).toMatchObject({ code: 'transition_forbidden', reason: 'actor_not_permitted' });
      expect(counts()).toEqual(before);
    });

    it('of two concurrent changes from the same version, exactly one wins', async () => {
      const claim = await made('mediator1', 'awaiting_contact');
      const headers = await t.as('mediator1');
      const send = (action: string) =>
        t.app.inject({
          method: 'POST',
          url: `/api/claims/${claim.id}/transitions`,
          headers,
          payload: { action, version: claim.version },
        });
      const results = await Promise.all([send('notify'), send('open_session')]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('version_conflict');
      const after = (await get('mediator1', `/api/claims/${claim.id}`)).json();
      expect(after.version).toBe(claim.version + 1);
      const events = (await get('mediator1', `/api/claims/${claim.id}/events`)).json().events;
      expect(events.filter((e: { at: string }) => e.at === '2026-11-20T02:00:00.000Z')).toHaveLength(1);
    });

    it('holds block escalation until released', async () => {
      const claim = await made('mediator2', 'failed', { assignee: 'mediator2' });
      const h = await t.as('mediator2');
      const post = (payload: object) =>
        t.app.inject({ method: 'POST', url: `/api/claims/${claim.id}/transitions`, headers: h, payload });
      const held = await post({ action: 'place_hold', holdKind: 'hardship', version: claim.version });
      expect(held.json().hold).toBe('hardship');
      const blocked = await post({ action: 'escalate', version: claim.version + 1 });
      expect(blocked.json()).toMatchObject({ code: 'transition_forbidden', reason: 'claim_on_hold' });
      await post({ action: 'release_hold', version: claim.version + 1 });
      expect((await post({ action: 'escalate', version: claim.version + 2 })).json().stage).toBe('court_mediation');
    });

    it('sends an ETag with the version', async () => {
      const res = await get('creditor1', '/api/claims/1');
      expect(res.headers.etag).toBe(`"${res.json().version}"`);
    });
  });

  describe('event chain', () => {
    useFreshApp();

    it("reports a stored event edited behind the API's back", async () => {
      const claim = await made('creditor1', 'filed');
      const ok = (await get('creditor1', `/api/claims/${claim.id}/events`)).json();
      expect(ok.chain).toEqual({ valid: true });
      expect(ok.events.length).toBeGreaterThan(3);

      t.database.sqlite
        .prepare("update claim_events set actor_name = 'someone else' where claim_id = ? and seq = 2")
        .run(claim.id);
      const broken = (await get('creditor1', `/api/claims/${claim.id}/events`)).json();
      expect(broken.chain).toMatchObject({ valid: false, brokenAtSeq: 2 });
    });

    it('reports a deleted event', async () => {
      const claim = await made('creditor2', 'escalated', { creditor: 'CRED-B' });
      t.database.sqlite.prepare('delete from claim_events where claim_id = ? and seq = 2').run(claim.id);
      const broken = (await get('creditor2', `/api/claims/${claim.id}/events`)).json();
      expect(broken.chain).toMatchObject({ valid: false, brokenAtSeq: 2 });
    });

    it('reports its last event deleted: the claim row keeps the head of its chain', async () => {
      const other = await made('creditor1', 'filed');
      const before = (await get('creditor1', `/api/claims/${other.id}/events`)).json();
      expect(before.chain).toEqual({ valid: true });
      const last = before.events.at(-1).seq;
      t.database.sqlite.prepare('delete from claim_events where claim_id = ? and seq = ?').run(other.id, last);
      const cut = (await get('creditor1', `/api/claims/${other.id}/events`)).json();
      expect(cut.events).toHaveLength(last - 1);
      expect(cut.chain).toMatchObject({ valid: false, brokenAtSeq: last });
      const fresh = await made('creditor1', 'awaiting_contact');
      expect((await get('creditor1', `/api/claims/${fresh.id}/events`)).json().chain).toEqual({ valid: true });
    });
  });
});
