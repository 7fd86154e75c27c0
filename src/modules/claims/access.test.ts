/**
 * Who may see what: the access module on its own, and the one rule it adds for every debtor door (a
 * claim still in intake was never served, so its debtor finds nothing of it, not even its documents).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { makeClaim } from '../../testing/factories.js';
import { signInDebtor } from '../../testing/portal.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import type { Principal } from '../auth/principal.js';
import { findClaim, findClaims, findSession } from './access.js';

describe('who may see what', () => {
  let t: TestApp;
  const one = <T>(query: string, ...args: unknown[]) => t.database.sqlite.prepare(query).get(...args) as T;
  let claimId: number;
  let intakeId: number;
  let debtor: Extract<Principal, { kind: 'debtor' }>;

  /** A demo user as the auth plugin resolves them. */
  const staff = (username: string): Principal => {
    const u = one<{ id: number; role: string; org_id: number; kind: string; display_name: string }>(
      'select u.id, u.role, u.org_id, o.kind, u.display_name from users u join organisations o on o.id = u.org_id where u.username = ?',
      username,
    );
    return {
      kind: 'user',
      role: u.role,
      userId: u.id,
      orgId: u.org_id,
      orgKind: u.kind,
      name: u.display_name,
    } as Principal;
  };
  /** A creditor user of the claim's creditor (`=`) or of another creditor (`<>`). */
  const creditorUser = (op: '=' | '<>') =>
    one<{ username: string }>(
      `select username from users where role = 'creditor' and org_id ${op} (select creditor_org_id from claims where id = ?)`,
      claimId,
    ).username;
  const notFound = (fn: () => unknown) => expect(fn).toThrow(expect.objectContaining({ code: 'not_found' }));

  beforeAll(async () => {
    t = await createTestApp();
    // The served claim's debtor also owes a claim still in intake, mediated by the same committee.
    const served = makeClaim(t);
    claimId = served.claimId;
    intakeId = makeClaim(t, { at: 'screening', person: served.person }).claimId;
    debtor = {
      kind: 'debtor',
      role: 'debtor',
      debtorId: served.debtorId,
      name: 'debtor',
    };
  });
  afterAll(() => t.close());

  it('keeps a claim still in intake, and its documents, from its debtor through every door, not from staff', async () => {
    const mediator = await t.as('mediator1');
    const generate = async (id: number) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/claims/${id}/documents`,
        headers: mediator,
        payload: { kind: 'mediation_notice', newVersion: true },
      });
      expect(res.statusCode).toBe(201);
      return res.json() as { id: number };
    };
    const served = await generate(claimId);
    // The issuance table gives a claim in intake no notice; one made while it was in mediation stays with it.
    const intake = one<{ stage: string; status: string }>('select stage, status from claims where id = ?', intakeId);
    const moveIntake = t.database.sqlite.prepare('update claims set stage = ?, status = ? where id = ?');
    moveIntake.run('people_mediation', 'notified', intakeId);
    const unserved = await generate(intakeId);
    moveIntake.run(intake.stage, intake.status, intakeId);
    const headers = await signInDebtor(t, claimId);
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers });

    expect((await get(`/api/claims/${claimId}/documents`)).statusCode).toBe(200);
    expect((await get(`/api/documents/${served.id}/pdf`)).statusCode).toBe(200);
    expect((await get(`/api/claims/${intakeId}/documents`)).statusCode).toBe(404);
    expect((await get(`/api/documents/${unserved.id}/pdf`)).statusCode).toBe(404);
    expect((await get(`/api/debtor/claims/${intakeId}`)).statusCode).toBe(404);

    const staffView = await t.app.inject({
      method: 'GET',
      url: `/api/claims/${intakeId}/documents`,
      headers: mediator,
    });
    expect(staffView.statusCode).toBe(200);
    expect(staffView.json().map((d: { id: number }) => d.id)).toEqual([unserved.id]);
  });

  it('fetches a claim for whoever holds a part in it, and answers 404 to everyone else', () => {
    expect(findClaim(t.db, staff(creditorUser('=')), claimId).id).toBe(claimId);
    expect(findClaim(t.db, staff('mediator1'), claimId).id).toBe(claimId);
    expect(findClaim(t.db, debtor, claimId).id).toBe(claimId);
    notFound(() => findClaim(t.db, staff(creditorUser('<>')), claimId));
    notFound(() => findClaim(t.db, staff('admin'), claimId));
    notFound(() => findClaim(t.db, debtor, intakeId));
    notFound(() => findClaim(t.db, staff('mediator1'), 999_999));
  });

  it('fetches several claims in id order only when every one is visible, naming each that is not', () => {
    const ids = [intakeId, claimId].sort((a, b) => b - a);
    expect(findClaims(t.db, staff('mediator1'), ids).map((c) => c.id)).toEqual([...ids].sort((a, b) => a - b));
    let err: unknown;
    try {
      findClaims(t.db, debtor, [claimId, 999_998, intakeId, 999_998]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).detail).toBe(`Claim 999998, ${intakeId} was not found, or you may not see it.`);
  });

  it("shows a session to its debtor, its creditor and its mediator's colleagues, never to a court", async () => {
    const mediator = await t.as('mediator1');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: mediator,
      payload: { claimIds: [claimId], mode: 'online', scheduledAt: '2026-11-23T02:00:00.000Z' },
    });
    expect(created.statusCode).toBe(201);
    const sessionId = created.json().id as number;
    for (const p of [staff('mediator1'), staff('mediator2'), staff(creditorUser('=')), debtor])
      expect(findSession(t.db, p, sessionId).id).toBe(sessionId);
    notFound(() => findSession(t.db, staff('clerk1'), sessionId));
    notFound(() => findSession(t.db, { ...debtor, debtorId: debtor.debtorId + 1 }, sessionId));
  });
});
