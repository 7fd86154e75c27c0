/** Who a principal is in a settlement's agreement, and where its confirmations stand. */
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/open.js';
import {
  AGREEMENT_SIGNER_ROLES,
  type AgreementSignerRole,
  agreementConfirmations,
  type Claim,
  type Settlement,
} from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { Principal } from '../auth/principal.js';
import { findSettlement } from '../claims/access.js';
import type { Signer } from '../documents/schemas.js';
import { agreementDocuments, textSha256 } from './agreement-text.js';
import type { AgreementState } from './schemas.js';

export const ROLE_TEXT: Record<AgreementSignerRole, string> = { debtor: '债务人', creditor: '债权人代表' };

/** The debtor of the settlement, or a signed-in user of its creditor; anyone else who may see it has no part. */
export function roleOf(p: Principal, settlement: Settlement, claims: readonly Claim[]): AgreementSignerRole | null {
  if (p.kind === 'debtor') return p.debtorId === settlement.debtorId ? 'debtor' : null;
  if (p.kind === 'user' && p.role === 'creditor' && p.orgId === claims[0]?.creditorOrgId) return 'creditor';
  return null;
}

/** The settlement and the caller's role in it; a mediator or anyone else who may see it is refused. */
export function findParty(tx: DbOrTx, p: Principal, settlementId: number) {
  const { settlement, claims } = findSettlement(tx, p, settlementId);
  const role = roleOf(p, settlement, claims);
  if (!role)
    throw new AppError(
      'forbidden',
      'Only the parties confirm an agreement: the debtor, and a signed-in representative of the creditor.',
      { reason: 'not_agreement_party' },
    );
  return { settlement, claims, role };
}

/** The confirmations recorded, as /verify and the rooms show them. */
export function confirmationsOf(tx: DbOrTx, settlementId: number): Signer[] {
  return tx
    .select()
    .from(agreementConfirmations)
    .where(eq(agreementConfirmations.settlementId, settlementId))
    .orderBy(asc(agreementConfirmations.confirmedAt), asc(agreementConfirmations.id))
    .all()
    .map((c) => ({
      role: c.role,
      roleText: ROLE_TEXT[c.role],
      name: c.shownName,
      method: c.method as Signer['method'],
      confirmedAt: c.confirmedAt.toISOString(),
    }));
}

export function agreementState(tx: DbOrTx, p: Principal, settlementId: number): AgreementState {
  const { settlement, claims } = findSettlement(tx, p, settlementId);
  const docs = agreementDocuments(tx, settlement);
  const confirmations = confirmationsOf(tx, settlementId);
  const signed = docs.length > 0 && docs.every((d) => d.signedAt);
  return {
    settlementId,
    documents: docs.map((d) => ({
      id: d.id,
      docNo: d.docNo,
      verifyCode: d.verifyCode,
      sha256: d.sha256,
      signedAt: d.signedAt?.toISOString() ?? null,
    })),
    textSha256: textSha256(docs),
    confirmations,
    awaiting: AGREEMENT_SIGNER_ROLES.filter((r) => !confirmations.some((c) => c.role === r)),
    myRole: roleOf(p, settlement, claims),
    signedAt: signed ? new Date(Math.max(...docs.map((d) => d.signedAt!.getTime()))).toISOString() : null,
  };
}
