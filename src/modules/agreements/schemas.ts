import { type Static, Type } from 'typebox';
import { AGREEMENT_SIGNER_ROLES } from '../../db/schema/agreements.js';
import { Id, Instant, Nullable, StringEnum } from '../common/schemas.js';
import { SignerSchema } from '../documents/schemas.js';

export const AgreementStateSchema = Type.Object({
  settlementId: Id,
  documents: Type.Array(
    Type.Object({
      id: Id,
      docNo: Type.String(),
      verifyCode: Type.String(),
      sha256: Type.String(),
      signedAt: Nullable(Instant),
    }),
    { description: "the settlement's mediation agreements (调解协议书); empty until they are generated" },
  ),
  textSha256: Nullable(
    Type.String({ description: 'SHA-256 over the agreements as generated: the text a confirmation confirms' }),
  ),
  confirmations: Type.Array(SignerSchema),
  awaiting: Type.Array(StringEnum(AGREEMENT_SIGNER_ROLES), { description: 'parties yet to confirm' }),
  /** The caller's own part: which role they confirm as, or null for the mediator. */
  myRole: Nullable(StringEnum(AGREEMENT_SIGNER_ROLES)),
  signedAt: Nullable(Instant),
});
export type AgreementState = Static<typeof AgreementStateSchema>;

export const CodeSentSchema = Type.Object({
  challengeId: Type.String(),
  expiresAt: Instant,
  sentTo: Nullable(Type.String({ description: "the debtor's phone, masked, that the SMS went to" })),
  code: Nullable(
    Type.String({
      description:
        'for the creditor representative only, who has no phone on record: shown to their signed-in session, confirmed with their password',
    }),
  ),
});
export type CodeSent = Static<typeof CodeSentSchema>;

export const ConfirmBody = Type.Object(
  {
    challengeId: Type.String({ minLength: 1, maxLength: 64 }),
    code: Type.String({ pattern: '^\\d{6}$', description: 'the six-digit one-time code' }),
    password: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "the creditor representative's sign-in password" }),
    ),
  },
  { additionalProperties: false },
);
export type ConfirmInput = Static<typeof ConfirmBody>;
