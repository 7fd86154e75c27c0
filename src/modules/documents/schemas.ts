import { type Static, Type } from 'typebox';
import { DOCUMENT_KINDS, REGISTERED_KINDS } from '../../domain/document-kinds.js';
import { ClaimFilter } from '../claims/schemas.js';
import { Id, Instant, IsoDate, Nullable, StringEnum } from '../common/schemas.js';

export const DocumentKindSchema = StringEnum(DOCUMENT_KINDS, { description: 'document kind' });
/** Any kind in the registry: the templated kinds and the records made from stored data (session_record). */
export const RegisteredKindSchema = StringEnum(REGISTERED_KINDS, { description: 'document kind' });

export const DocumentSchema = Type.Object({
  id: Id,
  claimId: Id,
  kind: RegisteredKindSchema,
  title: Type.String({ examples: ['调解通知书'] }),
  version: Type.Integer({
    minimum: 1,
    description: 'regenerating with newVersion makes the next version; earlier ones stay',
  }),
  docNo: Type.String({ examples: ['闽0502-调通-2026-000123'] }),
  verifyCode: Type.String({ examples: ['7K2M9Q4XTB'] }),
  verifyUrl: Type.String(),
  sha256: Type.String({ description: 'SHA-256 of the PDF, hex' }),
  templateId: Nullable(Id),
  templateVersion: Nullable(Type.Integer()),
  issuer: Type.Object({ id: Id, name: Type.String() }),
  createdAt: Instant,
  servedAt: Nullable(Instant),
  serviceMethod: Nullable(Type.String()),
  revokedAt: Nullable(Instant),
  revokedReason: Nullable(Type.String()),
});
export type DocumentView = Static<typeof DocumentSchema>;

export const GenerateBody = Type.Object(
  {
    kind: DocumentKindSchema,
    newVersion: Type.Optional(
      Type.Boolean({ description: 'make a new version even if the claim has this kind already' }),
    ),
  },
  { additionalProperties: false },
);

export const BatchBody = Type.Object(
  { kind: DocumentKindSchema, filter: ClaimFilter },
  { additionalProperties: false },
);

export const JOB_STATUSES = ['running', 'done', 'interrupted'] as const;
export const JOB_ITEM_STATUSES = ['pending', 'done', 'existing', 'failed'] as const;
export type JobItemStatus = (typeof JOB_ITEM_STATUSES)[number];

export const JobItemSchema = Type.Object({
  claimId: Id,
  status: StringEnum(JOB_ITEM_STATUSES, {
    description: 'existing: the claim had this kind already, not generated again',
  }),
  documentId: Nullable(Id),
  docNo: Nullable(Type.String()),
  error: Nullable(Type.String()),
});

export const JobSchema = Type.Object({
  id: Id,
  kind: DocumentKindSchema,
  status: StringEnum(JOB_STATUSES),
  total: Type.Integer(),
  done: Type.Integer({ description: 'documents generated' }),
  existing: Type.Integer({ description: 'claims that had this kind already: not generated again' }),
  failed: Type.Integer(),
  pending: Type.Integer(),
  filter: Type.Unknown(),
  printFile: Nullable(
    Type.String({ description: 'URL of the one-file PDF of the documents this job generated, once it is done' }),
  ),
  createdAt: Instant,
  finishedAt: Nullable(Instant),
});
export type JobView = Static<typeof JobSchema>;

export const JobDetailSchema = Type.Object({ ...JobSchema.properties, items: Type.Array(JobItemSchema) });
export type JobDetail = Static<typeof JobDetailSchema>;

export const JobQuery = Type.Object(
  { status: Type.Optional(StringEnum(JOB_ITEM_STATUSES, { description: 'only items in this status' })) },
  { additionalProperties: false },
);

export const TemplateVersionSchema = Type.Object({
  id: Id,
  kind: Type.String(),
  version: Type.Integer(),
  scope: StringEnum(['platform', 'organisation'] as const),
  orgId: Nullable(Id),
  createdAt: Instant,
});
export type TemplateVersionView = Static<typeof TemplateVersionSchema>;

export const TemplateSchema = Type.Object({
  kind: DocumentKindSchema,
  title: Type.String(),
  effective: Type.Object({ ...TemplateVersionSchema.properties, body: Type.String() }),
  versions: Type.Array(TemplateVersionSchema),
  placeholders: Type.Array(
    Type.Object({ path: Type.String(), label: Type.String(), required: Type.Boolean(), mayBeMissing: Type.Boolean() }),
  ),
  directives: Type.Array(Type.Object({ name: Type.String(), meaning: Type.String() })),
});
export type TemplateView = Static<typeof TemplateSchema>;

export const KindParams = Type.Object({ kind: DocumentKindSchema }, { additionalProperties: false });

export const TEMPLATE_MAX_CHARS = 64 * 1024;
export const TemplateBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: TEMPLATE_MAX_CHARS }) },
  { additionalProperties: false },
);

export const VerifyParams = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

/** A party who confirmed a signed document, as /verify shows them: the debtor's name masked. */
export const SignerSchema = Type.Object({
  role: StringEnum(['debtor', 'creditor'] as const),
  roleText: Type.String({ examples: ['债务人'] }),
  name: Type.String({ examples: ['张*'] }),
  method: StringEnum(['sms_code', 'password_code'] as const, {
    description: 'sms_code: a one-time code sent to the debtor; password_code: sign-in password and a one-time code',
  }),
  confirmedAt: Instant,
});
export type Signer = Static<typeof SignerSchema>;

export const VerificationSchema = Type.Object({
  status: Type.Union([Type.Literal('genuine'), Type.Literal('revoked')], {
    description: 'revoked: the issuer withdrew the document; it is not to be relied on',
  }),
  genuine: Type.Boolean({ description: 'registered here and not revoked' }),
  revokedOn: Nullable(IsoDate),
  revokedOnText: Nullable(Type.String()),
  kind: RegisteredKindSchema,
  title: Type.String(),
  docNo: Type.String(),
  issuer: Type.String({ description: 'the issuing organisation' }),
  issuedOn: IsoDate,
  issuedOnText: Type.String({ examples: ['2026年11月20日'] }),
  version: Type.Integer(),
  superseded: Type.Boolean({ description: 'a later version of this document exists' }),
  signature: Nullable(
    Type.Object(
      { signedAt: Instant, signers: Type.Array(SignerSchema) },
      { description: "the platform's PAdES signature, after the parties confirmed the text" },
    ),
  ),
});
export type Verification = Static<typeof VerificationSchema>;

export const FileCheckSchema = Type.Object({
  ...VerificationSchema.properties,
  unaltered: Type.Boolean({ description: 'the uploaded file is byte for byte the registered PDF' }),
  uploadedSha256: Type.String(),
});
export type FileCheck = Static<typeof FileCheckSchema>;

export const IssuanceRuleSchema = Type.Object({
  kind: DocumentKindSchema,
  title: Type.String(),
  rule: Type.String({ description: 'the name a 409 document_not_allowed gives as its reason' }),
  positions: Type.Array(Type.String(), { description: 'stage/status the claim must be at' }),
  facts: Type.Array(Type.String(), { description: 'what must also be true of the claim' }),
  issuedBy: Type.String(),
});

export const RevokeBody = Type.Object(
  {
    reason: Type.String({ minLength: 2, maxLength: 500, pattern: '\\S', description: 'why the document is withdrawn' }),
  },
  { additionalProperties: false },
);
