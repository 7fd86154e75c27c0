/** Who a batch comes from and whom its claims go to: the creditor and the mediation organisation. */
import { eq } from 'drizzle-orm';
import type { DB } from '../../db/open.js';
import { type Organisation, organisations } from '../../db/schema/index.js';
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
