/**
 * Gather: read what a document says about a claim from the database into plain facts (CONVENTIONS
 * 17). Personal data is decrypted here and shaped (masked or not) by buildDocumentData.
 */
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { FieldCrypto } from '../../adapters/field-crypto.js';
import type { DbOrTx } from '../../db/open.js';
import {
  type Claim,
  courtCases,
  debtors,
  type Organisation,
  organisations,
  settlementClaims,
  settlements,
} from '../../db/schema/index.js';
import { shanghaiDate } from '../../domain/dates.js';
import type { DocumentFacts } from '../../domain/document-data.js';
import { type DocumentKind, KIND_RULES, mediatingOrgOf } from '../../domain/document-kinds.js';
import { AppError } from '../../errors.js';
import { settlementShares } from '../payments/settlement-shares.js';

const missing = (claimId: number, field: string, detail: string) =>
  new AppError('unprocessable', `Claim ${claimId}: ${detail}`, {
    reason: 'missing_data',
    fields: [{ field: `/claim/${field}`, message: detail }],
  });

const orgName = (tx: DbOrTx, id: number | null) =>
  id === null
    ? null
    : (tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id)).get() ?? null);

/** The facts for a document of `kind` about `claim`, issued by `issuer`; a section the kind needs and the claim lacks is an error naming it. */
export function gatherFacts(
  tx: DbOrTx,
  fieldCrypto: FieldCrypto,
  claim: Claim,
  kind: DocumentKind,
  issuer: Organisation,
): DocumentFacts {
  const rules = KIND_RULES[kind];
  const title = rules.title;
  const creditor = tx.select().from(organisations).where(eq(organisations.id, claim.creditorOrgId)).get()!;
  const debtor = tx.select().from(debtors).where(eq(debtors.id, claim.debtorId)).get()!;
  const facts: DocumentFacts = {
    claim,
    issuer: { name: issuer.name },
    creditor: { name: creditor.name, creditCode: creditor.creditCode },
    debtor: {
      name: debtor.name,
      idNumber: fieldCrypto.decrypt(debtor.idNumberEnc),
      phone: debtor.phoneEnc ? fieldCrypto.decrypt(debtor.phoneEnc) : null,
      address: debtor.addressEnc ? fieldCrypto.decrypt(debtor.addressEnc) : null,
    },
    mediation: null,
    court: null,
    settlement: null,
    basis: null,
  };
  if (rules.sections.includes('mediation')) {
    facts.mediation = orgName(tx, mediatingOrgOf(claim));
    if (!facts.mediation)
      throw missing(claim.id, 'mediationOrgId', `no mediation organisation is assigned, which a ${title} names.`);
  }
  if (rules.sections.includes('court')) {
    facts.court = orgName(tx, claim.courtOrgId);
    if (!facts.court) throw missing(claim.id, 'courtOrgId', `no court is assigned, which a ${title} is addressed to.`);
  }
  if (rules.sections.includes('settlement')) {
    const s = latestSettlementOf(tx, claim.id);
    if (!s)
      throw missing(
        claim.id,
        'settlement',
        `the claim has no settlement; record the agreed terms before making a ${title}.`,
      );
    // Every contract of the settlement with its own figures, as the balance allocates them.
    const { members, plan } = settlementShares(tx, s);
    facts.settlement = {
      totalFen: s.totalFen,
      agreedOn: s.agreedAt ? shanghaiDate(s.agreedAt) : null,
      instalments: plan.map((i) => ({ seq: i.seq, dueDate: i.dueDate, amountFen: i.amountFen })),
      contracts: members.map(({ claim: c, allocation: a }) => ({
        contractNo: c.contractNo,
        loanDate: c.loanDate,
        principalFen: c.principalFen,
        interestFen: c.interestFen,
        penaltyFen: c.penaltyFen,
        feesFen: c.feesFen,
        aboveCapFen: c.aboveCapFen,
        owedFen: a.owedFen,
        shareFen: a.shareFen,
        waivedFen: a.waivedFen,
        instalmentsFen: a.instalmentsFen,
      })),
    };
  }
  if (rules.sections.includes('basis')) {
    // The enforceable title: the latest decided court case of the claim with a case number.
    facts.basis = enforceableTitleOf(tx, claim.id);
  }
  return facts;
}

/** The claim's latest settlement (the one a document states), or undefined. */
export const latestSettlementOf = (tx: DbOrTx, claimId: number) =>
  tx
    .select({ id: settlements.id, totalFen: settlements.totalFen, agreedAt: settlements.agreedAt })
    .from(settlementClaims)
    .innerJoin(settlements, eq(settlementClaims.settlementId, settlements.id))
    .where(eq(settlementClaims.claimId, claimId))
    .orderBy(desc(settlements.id))
    .limit(1)
    .get();

/** The enforceable title: the latest granted court case of the claim with a case number, or null. */
export const enforceableTitleOf = (tx: DbOrTx, claimId: number) =>
  tx
    .select({ caseNo: courtCases.caseNo, decidedOn: courtCases.decidedOn })
    .from(courtCases)
    .where(and(eq(courtCases.claimId, claimId), eq(courtCases.status, 'granted'), isNotNull(courtCases.caseNo)))
    .orderBy(desc(courtCases.decidedOn), desc(courtCases.id))
    .limit(1)
    .get() ?? null;
