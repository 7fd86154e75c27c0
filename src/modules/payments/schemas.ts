import { type Static, Type } from 'typebox';
import { PAYMENT_SOURCES, PAYMENT_STATUSES } from '../../db/schema/index.js';
import { Fen, Id, Instant, IsoDate, Nullable, StringEnum } from '../common/schemas.js';

const Reference = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^\\S(.*\\S)?$',
  description:
    'your own reference for the payment (bank transaction number): unique per creditor; resending it is idempotent',
});
const Channel = Type.String({ minLength: 1, maxLength: 32, examples: ['bank_transfer', 'alipay', 'wechat', 'cash'] });
const PositiveFen = Type.Integer({ minimum: 1, maximum: 10_000_000_000, description: 'amount in fen (1/100 yuan)' });

export const PaymentBody = Type.Object(
  { amountFen: PositiveFen, paidAt: IsoDate, reference: Reference, channel: Channel },
  { additionalProperties: false },
);
export type PaymentInput = Static<typeof PaymentBody>;

export const DisputeBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 500, description: 'shown to the debtor' }) },
  { additionalProperties: false },
);

export const PaymentSchema = Type.Object({
  id: Id,
  claimId: Id,
  settlementId: Nullable(Id),
  amountFen: Fen,
  paidOn: IsoDate,
  reference: Nullable(Type.String()),
  channel: Nullable(Type.String()),
  status: StringEnum(PAYMENT_STATUSES, {
    description: 'confirmed (allocated), reported by the debtor and awaiting the creditor, or disputed',
  }),
  source: StringEnum(PAYMENT_SOURCES),
  applied: Type.Object(
    { costsFen: Fen, interestFen: Fen, principalFen: Fen },
    { description: 'what the payment covered, in the order of Civil Code art. 561' },
  ),
  instalments: Type.Array(Type.Object({ instalmentId: Id, fen: Fen })),
  overpaidFen: Fen,
  overpaid: Type.Boolean({ description: 'more was paid than owed: the excess is kept and flagged' }),
  note: Nullable(Type.String({ description: "the debtor's own words with a reported payment" })),
  receiptIds: Type.Array(Id, { description: 'receipts the debtor attached: GET /api/attachments/:id' }),
  disputeReason: Nullable(Type.String()),
  createdAt: Instant,
});
export type PaymentView = Static<typeof PaymentSchema>;

export const BalanceSchema = Type.Object({
  leftFen: Type.Object({ costsFen: Fen, interestFen: Fen, principalFen: Fen }),
  settlement: Nullable(
    Type.Object({
      id: Id,
      shareFen: Fen,
      dueFen: Fen,
      instalments: Type.Array(
        Type.Object({ id: Id, seq: Type.Integer(), dueDate: IsoDate, partFen: Fen, leftFen: Fen }),
      ),
    }),
  ),
  paidFen: Fen,
  overpaidFen: Fen,
  owedFen: Fen,
});
export type BalanceView = Static<typeof BalanceSchema>;

export const ClaimPaymentsSchema = Type.Object({ payments: Type.Array(PaymentSchema), balance: BalanceSchema });

export const DEBTOR_PAYMENT_FIELDS = ['amountFen', 'paidAt', 'channel', 'note'] as const;
/** The text fields of the debtor's "I paid" form (multipart, with the receipt in `files`). */
export const DebtorPaymentForm = Type.Object(
  {
    amountFen: Type.String({ pattern: '^[1-9][0-9]{0,10}$' }),
    paidAt: IsoDate,
    channel: Channel,
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const ImportReportSchema = Type.Object({
  id: Id,
  total: Type.Integer(),
  recorded: Type.Integer(),
  duplicates: Type.Integer({ description: 'rows whose reference was recorded before: nothing done again' }),
  rejected: Type.Integer(),
  overpaid: Type.Integer({ description: 'recorded rows that paid more than owed' }),
  errors: Type.Array(
    Type.Object({
      rowNo: Type.Integer(),
      column: Nullable(Type.String()),
      code: Type.String(),
      message: Type.String(),
      value: Nullable(Type.String()),
    }),
    { description: 'the first 1000 rejected rows; all of them in errors.csv' },
  ),
  errorsCsv: Type.String(),
});
export type ImportReport = Static<typeof ImportReportSchema>;
