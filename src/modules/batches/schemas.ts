import { type Static, Type } from 'typebox';
import { BATCH_STATUSES } from '../../db/schema/batches.js';
import { CLAIM_COLUMNS } from '../../domain/batch-columns.js';
import { SettlementPolicySchema } from '../admin/schemas.js';
import { FilePart, Id, Instant, Nullable, StringEnum } from '../common/schemas.js';

export const CHARSETS = ['utf-8', 'gbk', 'gb18030'] as const;

export const PartialPolicySchema = Type.Partial(SettlementPolicySchema, { additionalProperties: false });

/** Options of an upload, from multipart fields or the JSON body. */
export interface BatchOptions {
  strict: boolean;
  dryRun: boolean;
  charset: 'utf-8' | 'gbk' | 'gb18030' | null;
  sheet: string | null;
  mediationOrg: string | null;
  reference: string | null;
  policy: Partial<Static<typeof SettlementPolicySchema>>;
}

const Flag = StringEnum(['true', 'false'] as const);

/** The multipart form of an upload as the API document shows it; upload.ts reads and checks the parts. */
export const BatchForm = Type.Object({
  file: FilePart('CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, or XLSX (the first sheet, or `sheet`)'),
  strict: Type.Optional(Flag),
  dryRun: Type.Optional(Flag),
  charset: Type.Optional(StringEnum(CHARSETS)),
  sheet: Type.Optional(Type.String({ maxLength: 64 })),
  mediationOrg: Type.Optional(Type.String({ maxLength: 32, description: 'id or code' })),
  reference: Type.Optional(Type.String({ maxLength: 64 })),
  policy: Type.Optional(
    Type.String({
      maxLength: 2000,
      description:
        'JSON: maxDiscountPct, maxInstalments, minFirstPaymentPct, litigationAllowed, graceDays, escalateOnTimeout, peopleMediationDays, courtMediationDays',
    }),
  ),
});

const Counts = Type.Record(Type.String(), Type.Integer());

export const BatchSchema = Type.Object({
  id: Id,
  status: StringEnum(BATCH_STATUSES),
  reference: Nullable(Type.String()),
  fileName: Nullable(Type.String()),
  format: Nullable(Type.String()),
  charset: Nullable(Type.String()),
  strict: Type.Boolean(),
  total: Type.Integer({ description: 'data rows read' }),
  accepted: Type.Integer({ description: 'claims imported' }),
  rejected: Type.Integer({ description: 'rows refused; see errors.csv' }),
  skipped: Type.Integer({ description: 'rows whose claim an earlier batch already imported' }),
  errorsByCode: Counts,
  screening: Type.Record(Type.String(), Type.Integer(), { description: 'screening outcomes of the imported claims' }),
  warnings: Type.Array(Type.String()),
  failureDetail: Nullable(Type.String()),
  mediationOrgId: Nullable(Id),
  progress: Nullable(
    Type.Object({
      phase: Type.String(),
      rowsRead: Type.Integer(),
      rowsWritten: Type.Integer(),
      bytesRead: Type.Integer(),
      bytesTotal: Type.Integer(),
    }),
  ),
  createdAt: Instant,
  finishedAt: Nullable(Instant),
});
export type BatchView = Static<typeof BatchSchema>;

export const RowErrorSchema = Type.Object({
  rowNo: Type.Integer(),
  column: Nullable(Type.String()),
  code: Type.String(),
  message: Type.String(),
  value: Type.String(),
});

export const DryRunReportSchema = Type.Object({
  dryRun: Type.Literal(true),
  status: StringEnum(['committed', 'failed'] as const, { description: 'what a real import would do' }),
  total: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  skipped: Type.Integer(),
  errorsByCode: Counts,
  screening: Counts,
  warnings: Type.Array(Type.String()),
  failureDetail: Nullable(Type.String()),
  errors: Type.Array(RowErrorSchema, { description: 'the first 1,000 row errors' }),
});
export type DryRunReport = Static<typeof DryRunReportSchema>;

const Cell = Type.Union([Type.String({ maxLength: 1000 }), Type.Number(), Type.Null()]);

/** A claim in the JSON form: the same columns as the file, by their English names. */
export const JsonClaimSchema = Type.Object(
  Object.fromEntries(CLAIM_COLUMNS.map((c) => [c.key, c.required ? Cell : Type.Optional(Cell)])),
  { additionalProperties: false },
);

export const JsonBatchBody = Type.Object(
  {
    reference: Type.String({ minLength: 1, maxLength: 64 }),
    claims: Type.Array(JsonClaimSchema, { minItems: 1 }),
    strict: Type.Optional(Type.Boolean()),
    dryRun: Type.Optional(Type.Boolean()),
    mediationOrg: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Id])),
    policy: Type.Optional(PartialPolicySchema),
  },
  { additionalProperties: false },
);
export type JsonBatch = Static<typeof JsonBatchBody>;
