/** Who a batch comes from and whom its claims go to: the creditor, the mediation organisation and its mediators. */
import { and, asc, countDistinct, eq, isNull, ne } from 'drizzle-orm';
import type { DB } from '../../db/open.js';
import { claims, type Organisation, organisations, users } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** The creditor organisation sending a batch; only creditors import. */
export function creditorOf(db: DB, creditorOrgId: number): Organisation {
  const org = db.select().from(organisations).where(eq(organisations.id, creditorOrgId)).get();
  if (org?.kind !== 'creditor') throw new AppError('forbidden', 'Only creditors import batches.');
  return org;
}

/** The mediation organisation a batch names (its id or code), or the only committee when it names none. */
export function mediationOrgFor(db: DB, requested: string | null): Organisation {
  const committees = db.select().from(organisations).where(eq(organisations.kind, 'mediation_committee')).all();
  if (requested === null) {
    if (committees.length === 1) return committees[0]!;
    throw new AppError(
      'validation_failed',
      'Name the mediation organisation for the batch (mediationOrg: its id or code).',
      {
        fields: [
          { field: '/body/mediationOrg', message: 'is required when more than one mediation organisation exists' },
        ],
      },
    );
  }
  const org = db
    .select()
    .from(organisations)
    .where(/^\d+$/.test(requested) ? eq(organisations.id, Number(requested)) : eq(organisations.code, requested))
    .get();
  if (!org || (org.kind !== 'mediation_committee' && org.kind !== 'court')) {
    throw new AppError('unprocessable', `"${requested}" is not a mediation organisation; see GET /api/organisations.`, {
      fields: [{ field: '/body/mediationOrg', message: 'is not a mediation organisation' }],
    });
  }
  return org;
}

/** Mediators of the organisation with their open caseload (debtors with open claims), for balanced assignment. */
export function mediatorsOf(db: DB, orgId: number): { id: number; openCaseload: number }[] {
  const open = db
    .select({ id: claims.assigneeId, n: countDistinct(claims.debtorId) })
    .from(claims)
    .where(and(eq(claims.mediationOrgId, orgId), ne(claims.stage, 'closed')))
    .groupBy(claims.assigneeId)
    .all();
  const load = new Map(open.map((r) => [r.id, r.n]));
  return db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, 'mediator'), isNull(users.disabledAt)))
    .orderBy(asc(users.id))
    .all()
    .map((u) => ({ id: u.id, openCaseload: load.get(u.id) ?? 0 }));
}
