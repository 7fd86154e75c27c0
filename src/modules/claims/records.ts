/** The records a claim's later stages made (issue 16 item 9): its court cases, payments and credit records. */
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import { courtCases, creditRecords, payments } from '../../db/schema/index.js';
import { courtCaseView } from '../court/confirmation.js';
import { creditRecordView } from '../court/court-records.js';
import { paymentView } from '../payments/service.js';
import type { ClaimRecords } from './schemas.js';

/** Everything oldest first; call it only for a claim the principal may see. */
export function claimRecords(tx: DbOrTx, claimId: number): ClaimRecords {
  return {
    courtCases: tx
      .select()
      .from(courtCases)
      .where(eq(courtCases.claimId, claimId))
      .orderBy(asc(courtCases.id))
      .all()
      .map(courtCaseView),
    payments: tx
      .select()
      .from(payments)
      .where(eq(payments.claimId, claimId))
      .orderBy(asc(payments.paidOn), asc(payments.id))
      .all()
      .map((p) => paymentView(tx, p)),
    creditRecords: tx
      .select()
      .from(creditRecords)
      .where(eq(creditRecords.claimId, claimId))
      .orderBy(asc(creditRecords.id))
      .all()
      .map(creditRecordView),
  };
}
