/**
 * Every role against every endpoint: allowed roles get past authorisation, other roles get 403, and
 * no credentials get 401. The endpoint list must name every route the app serves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_SCOPES } from '../../domain/api-key-scopes.js';
import { listRoutes } from '../../testing/routes.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { STAFF_SECTIONS } from '../web/routes.js';
import { newToken, sha256 } from './tokens.js';

const STAFF = ['admin', 'creditor', 'apikey', 'mediator', 'court'] as const;
/** Signed-in staff: an API key may not manage accounts or keys, nor read the directory. */
const USERS = ['admin', 'creditor', 'mediator', 'court'] as const;
const CLAIM_READERS = ['creditor', 'apikey', 'mediator', 'court'] as const;
const CREDITORS = ['creditor', 'apikey'] as const;
type Who = (typeof STAFF)[number] | 'debtor';
const EVERYONE: readonly Who[] = [...STAFF, 'debtor'];
const SIGNED_IN: readonly Who[] = [...USERS, 'debtor'];

/** method, url, who may call it ('public' for everyone, signed in or not). */
const ENDPOINTS: [string, string, readonly Who[] | 'public'][] = [
  ['GET', '/health', 'public'],
  ['POST', '/api/auth/login', 'public'],
  ['POST', '/api/auth/logout', SIGNED_IN],
  ['GET', '/api/auth/me', SIGNED_IN],
  ['POST', '/api/auth/password', USERS],
  ['GET', '/api/organisations', USERS],
  ['POST', '/api/organisations', ['admin']],
  ['GET', '/api/organisations/:id/payee-account', ['admin', 'creditor']],
  ['PUT', '/api/organisations/:id/payee-account', ['admin', 'creditor']],
  ['GET', '/api/users', USERS],
  ['POST', '/api/users', ['admin']],
  ['GET', '/api/calendar/years', ['admin']],
  ['GET', '/api/admin/jobs', ['admin']],
  ['POST', '/api/admin/jobs/:name/run', ['admin']],
  ['GET', '/api/messages', USERS],
  ['PUT', '/api/calendar/years/:year', ['admin']],
  ['POST', '/api/users/:id/approve', ['admin', 'creditor']],
  ['POST', '/api/users/:id/disable', ['admin']],
  ['POST', '/api/users/:id/password', ['admin']],
  ['GET', '/api/api-keys', ['creditor']],
  ['POST', '/api/api-keys', ['creditor']],
  ['DELETE', '/api/api-keys/:id', ['creditor']],
  ['GET', '/api/claims', CLAIM_READERS],
  ['GET', '/api/claims/:id', CLAIM_READERS],
  ['GET', '/api/claims/:id/events', CLAIM_READERS],
  ['POST', '/api/claims/:id/transitions', CLAIM_READERS],
  ['POST', '/api/claims/actions', CLAIM_READERS],
  ['GET', '/api/claims/actions/:id', CLAIM_READERS],
  ['GET', '/ws/claims/actions/:id', CLAIM_READERS],
  ['GET', '/api/lifecycle', STAFF],
  ['POST', '/api/batches', CREDITORS],
  ['GET', '/api/batches', CREDITORS],
  ['GET', '/api/batches/:id', CREDITORS],
  ['GET', '/api/batches/:id/errors.csv', CREDITORS],
  ['GET', '/api/batches/:id/forecast', CREDITORS],
  ['GET', '/api/stats/funnel', USERS],
  ['GET', '/api/stats/funnel.csv', USERS],
  ['GET', '/api/stats/funnel.xlsx', USERS],
  ['GET', '/ws/batches/:id', CREDITORS],
  ['POST', '/api/claims/:id/documents', CLAIM_READERS],
  ['GET', '/api/claims/:id/documents', [...CLAIM_READERS, 'debtor']],
  ['GET', '/api/documents/:id/pdf', [...CLAIM_READERS, 'debtor']],
  ['GET', '/api/documents/issuance', STAFF],
  ['POST', '/api/documents/:id/revoke', CLAIM_READERS],
  ['POST', '/api/documents/batch', CLAIM_READERS],
  ['GET', '/api/documents/jobs/:id', CLAIM_READERS],
  ['GET', '/api/documents/jobs/:id/print.pdf', CLAIM_READERS],
  ['POST', '/api/filing-lists', CREDITORS],
  ['GET', '/api/filing-lists', ['creditor', 'apikey', 'court']],
  ['GET', '/api/filing-lists/:id', ['creditor', 'apikey', 'court']],
  ['GET', '/api/filing-lists/:id/archive', ['creditor', 'apikey', 'court']],
  ['GET', '/ws/documents/jobs/:id', CLAIM_READERS],
  ['GET', '/api/templates/:kind', STAFF],
  ['PUT', '/api/templates/:kind', ['admin', 'creditor', 'apikey', 'mediator']],
  ['POST', '/api/templates/:kind/preview', ['admin', 'creditor', 'apikey', 'mediator']],
  ['GET', '/verify/:code', 'public'],
  ['POST', '/verify/:code', 'public'],
  ['POST', '/api/documents/:id/deliveries', CLAIM_READERS],
  ['GET', '/api/documents/:id/deliveries', CLAIM_READERS],
  ['GET', '/api/claims/:id/deliveries', CLAIM_READERS],
  ['POST', '/api/documents/:id/public-notice', ['court']],
  ['GET', '/r/:token', 'public'],
  ['POST', '/api/claims/:id/access-code', ['creditor', 'apikey', 'mediator']],
  ['POST', '/api/debtor/login', 'public'],
  ['POST', '/api/debtor/verify', 'public'],
  ['GET', '/api/debtor/claims', ['debtor']],
  ['GET', '/api/debtor/claims/:id', ['debtor']],
  ['GET', '/api/debtor/claims/:id/objections', ['debtor']],
  ['POST', '/api/debtor/claims/:id/objections', ['debtor']],
  ['GET', '/api/debtor/hardship', ['debtor']],
  ['POST', '/api/debtor/hardship', ['debtor']],
  ['GET', '/api/debtor/means', ['debtor']],
  ['POST', '/api/debtor/means', ['debtor']],
  ['GET', '/api/objections', CLAIM_READERS],
  ['POST', '/api/objections/:id/decision', CLAIM_READERS],
  ['POST', '/api/objections/:id/comments', CREDITORS],
  ['GET', '/api/objections/stats', CLAIM_READERS],
  ['GET', '/api/hardship-requests', ['mediator']],
  ['POST', '/api/hardship-requests/:id/decision', ['mediator']],
  ['GET', '/api/claims/:id/means', ['mediator', 'court']],
  ['POST', '/api/claims/:id/payments', CREDITORS],
  ['GET', '/api/claims/:id/payments', CLAIM_READERS],
  ['POST', '/api/payments/:id/confirm', CREDITORS],
  ['POST', '/api/payments/:id/dispute', CREDITORS],
  ['POST', '/api/payments/import', CREDITORS],
  ['GET', '/api/payments/imports/:id', CREDITORS],
  ['GET', '/api/payments/imports/:id/errors.csv', CREDITORS],
  ['POST', '/api/debtor/claims/:id/payments', ['debtor']],
  ['POST', '/api/claims/:id/confirmation', [...CREDITORS, 'mediator']],
  ['GET', '/api/court/confirmations', ['court']],
  ['POST', '/api/court-cases/:id/grant', ['court']],
  ['POST', '/api/court-cases/:id/refuse', ['court']],
  ['POST', '/api/claims/:id/mediation-statement', ['court']],
  ['POST', '/api/court-cases/:id/register', ['court']],
  ['POST', '/api/court-cases/:id/judgment', ['court']],
  ['POST', '/api/court-cases/:id/measures', ['court']],
  ['POST', '/api/credit-records/:id/removal', ['court']],
  ['GET', '/api/attachments/:id', [...CLAIM_READERS, 'debtor']],
  ['GET', '/portal', 'public'],
  ['GET', '/portal/', 'public'],
  ['GET', '/portal/app.js', 'public'],
  ['GET', '/portal/app.css', 'public'],
  ['GET', '/portal/room', 'public'],
  ['GET', '/portal/plan', 'public'],
  ['POST', '/api/sessions', ['mediator']],
  ['POST', '/api/sessions/schedule', ['mediator']],
  ['GET', '/api/sessions', ['creditor', 'apikey', 'mediator', 'debtor']],
  ['GET', '/api/sessions/:id', ['creditor', 'apikey', 'mediator', 'debtor']],
  ['POST', '/api/sessions/:id/start', ['mediator']],
  ['POST', '/api/sessions/:id/end', ['mediator']],
  ['GET', '/api/sessions/:id/messages', ['creditor', 'apikey', 'mediator', 'debtor']],
  ['GET', '/api/sessions/:id/transcript', ['mediator']],
  ['GET', '/api/sessions/:id/transcript.pdf', ['mediator']],
  ['GET', '/api/sessions/:id/suggestion', ['mediator']],
  ['GET', '/api/settlements/:id/agreement', ['creditor', 'mediator', 'debtor']],
  ['POST', '/api/settlements/:id/agreement/code', ['creditor', 'debtor']],
  ['POST', '/api/settlements/:id/agreement/confirmations', ['creditor', 'debtor']],
  ['POST', '/api/sessions/:id/suggestion', ['mediator']],
  ['GET', '/ws/sessions/:id', ['creditor', 'apikey', 'mediator', 'debtor']],
  ['POST', '/api/debtor/plans', ['debtor']],
  ['GET', '/api/debtor/plans/suggestion', ['debtor']],
  ['GET', '/api/plans', ['creditor', 'mediator', 'debtor']],
  ['POST', '/api/plans/:id/accept', ['creditor']],
  ['POST', '/api/plans/:id/decline', ['creditor']],
  ['GET', '/', 'public'],
  ['GET', '/assets/:file', 'public'],
  ...STAFF_SECTIONS.flatMap((section): [string, string, 'public'][] => [
    ['GET', `/${section}`, 'public'],
    ['GET', `/${section}/*`, 'public'],
  ]),
];

describe('access matrix', () => {
  let t: TestApp;
  const headers = new Map<Who, () => Record<string, string>>();

  beforeAll(async () => {
    t = await createTestApp();
    const sql = t.database.sqlite;
    const userId = (name: string) =>
      (sql.prepare('select id from users where username = ?').get(name) as { id: number }).id;
    // A fresh session per request, because logout ends the one it is called with.
    const session = (subject: { user?: number; debtor?: number }) => () => {
      const token = newToken();
      sql
        .prepare(
          'insert into auth_sessions (token_hash, user_id, debtor_id, created_at, expires_at) values (?, ?, ?, ?, ?)',
        )
        .run(
          sha256(token),
          subject.user ?? null,
          subject.debtor ?? null,
          Date.parse('2026-01-01'),
          Date.parse('2027-01-01'),
        );
      return { authorization: `Bearer ${token}` };
    };
    for (const [who, username] of [
      ['admin', 'admin'],
      ['creditor', 'creditor1'],
      ['mediator', 'mediator1'],
      ['court', 'clerk1'],
    ] as const)
      headers.set(who, session({ user: userId(username) }));
    headers.set('debtor', session({ debtor: 1 }));
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: await t.as('creditor1'),
      payload: { name: 'matrix', scopes: [...API_KEY_SCOPES] },
    });
    headers.set('apikey', () => ({ authorization: `ApiKey ${key.json().key}` }));
  });
  afterAll(() => t.close());

  it('names every route the app serves (API documentation aside)', () => {
    const served = listRoutes(t.app)
      .filter((r) => !r.url.startsWith('/docs'))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(served).toEqual(ENDPOINTS.map(([m, u]) => `${m} ${u}`).sort());
  });

  for (const [method, url, allowed] of ENDPOINTS) {
    it(`${method} ${url}`, async () => {
      // Claim 1 exists; no API key 999999 does, so DELETE cannot revoke the key this test signs in with.
      const target = url
        .replace(':id', url.startsWith('/api/api-keys') ? '999999' : '1')
        .replace(':year', '2030')
        .replace(':name', 'no-such-job');
      const call = (h: Record<string, string>) =>
        t.app.inject({
          method: method as 'GET',
          url: target,
          headers: h,
          ...(method === 'POST' || method === 'DELETE' ? { payload: {} } : {}),
        });
      const anonymous = await call({});
      if (allowed === 'public') {
        expect(anonymous.statusCode).not.toBe(401);
        expect(anonymous.statusCode).not.toBe(403);
        return;
      }
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().code).toBe('unauthenticated');
      for (const who of EVERYONE) {
        const res = await call(headers.get(who)!());
        if (allowed.includes(who)) {
          expect([401, 403], `${who} should pass`).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode, `${who} should be refused`).toBe(403);
          expect(res.json().code).toBe('forbidden');
        }
      }
    });
  }
});
