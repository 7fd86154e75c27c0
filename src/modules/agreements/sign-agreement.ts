/**
 * Once both parties have confirmed, the platform signs each of the settlement's agreements with its
 * PAdES signature; the signature's reason carries the confirmations (who, how, when, and the hash of
 * the text confirmed). Signing is a step on the finished PDF bytes, whatever the agreement lists.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DB, DbOrTx } from '../../db/open.js';
import { agreementConfirmations, documents, settlements } from '../../db/schema/index.js';
import { verifyUrlOf } from '../documents/document-view.js';
import { oneAfterAnother } from '../documents/generate.js';
import type { Signer } from '../documents/schemas.js';
import { agreementDocuments, textSha256 } from './agreement-text.js';
import type { AgreementDeps } from './context.js';
import { confirmationsOf } from './state.js';

/** The confirmations with the text hash each confirmed. */
function confirmedTexts(tx: DbOrTx, settlementId: number): (Signer & { textSha256: string })[] {
  const texts = new Map(
    tx
      .select({ role: agreementConfirmations.role, textSha256: agreementConfirmations.textSha256 })
      .from(agreementConfirmations)
      .where(eq(agreementConfirmations.settlementId, settlementId))
      .all()
      .map((c): [string, string] => [c.role, c.textSha256]),
  );
  return confirmationsOf(tx, settlementId).map((s) => ({ ...s, textSha256: texts.get(s.role)! }));
}

/**
 * Settlements both parties confirmed whose agreements are not signed yet (a signing cut short by a
 * stop or a failure): signed at the next start.
 */
export function confirmedUnsigned(db: DB): number[] {
  const both = db
    .select({ settlementId: agreementConfirmations.settlementId })
    .from(agreementConfirmations)
    .groupBy(agreementConfirmations.settlementId)
    .having(sql`count(*) = 2`)
    .as('both');
  return db
    .selectDistinct({ settlementId: both.settlementId })
    .from(both)
    .innerJoin(
      documents,
      and(
        eq(documents.settlementId, both.settlementId),
        eq(documents.kind, 'mediation_agreement'),
        isNull(documents.signedAt),
        isNull(documents.revokedAt),
      ),
    )
    .all()
    .map((r) => r.settlementId);
}

const HOW = { sms_code: 'by SMS one-time code', password_code: 'by sign-in password and one-time code' } as const;
const WHO = { debtor: 'the debtor', creditor: "the creditor's representative" } as const;

/** The signature's reason, in ASCII as the PDF string is written: every confirmation and the text's hash. */
export function signatureReason(verifyCode: string, signers: readonly Signer[], text: string): string {
  const parts = signers.map((s) => `${WHO[s.role]} ${HOW[s.method]} at ${s.confirmedAt}`);
  return `Mediation agreement ${verifyCode} confirmed online by ${parts.join('; ')}; text SHA-256 ${text}. Signed by the platform.`;
}

// One signing of a settlement at a time: the second of two confirmations at once finds it signed.
const oneSigningAtATime = oneAfterAnother();

export function signAgreement(deps: AgreementDeps, settlementId: number): Promise<void> {
  return oneSigningAtATime(String(settlementId), async () => {
    const { docs, signers } = deps.db.transaction(
      (tx) => {
        const settlement = tx.select().from(settlements).where(eq(settlements.id, settlementId)).get()!;
        return { docs: agreementDocuments(tx, settlement), signers: confirmedTexts(tx, settlementId) };
      },
      { behavior: 'deferred' },
    );
    const text = textSha256(docs);
    // Signed only as confirmed: an agreement made again since is not what the parties confirmed.
    if (!text || !signers.every((c) => c.textSha256 === text)) return;
    for (const d of docs) {
      if (d.signedAt) continue;
      await deps.documents.sign(
        d.id,
        {
          reason: signatureReason(d.verifyCode, signers, text),
          contactInfo: verifyUrlOf(deps.publicUrl, d.verifyCode),
        },
        signers.map(({ textSha256: _text, ...signer }) => signer),
      );
    }
  });
}
