/**
 * The session socket's frames. A client sends `{"type":"hello","lastSeq":N}` first, then frames
 * `{type, id, body}` with a client-chosen `id`; the server stores each and broadcasts
 * `{type, seq, id, from: {role, name}, at, body}`. Refused frames are answered to the sender only with
 * `{type: "error", seq: null, id, from: {role: "system", ...}, at, body: {code, detail}}`.
 * `{"type":"typing"}` says the sender is typing; the others get it with seq null, and it is not stored.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { SETTLEMENT_KINDS } from '../../domain/settlement-terms.js';
import { MALFORMED_TEXT_MESSAGE, malformedTextAt } from '../../domain/unicode-text.js';
import { Id, IsoDate, StringEnum } from '../common/schemas.js';

export const PARTY_ROLES = ['mediator', 'creditor', 'debtor'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

/** Types a client may send; presence, system and error frames come only from the server. */
export const CLIENT_TYPES = ['chat', 'proposal', 'counter', 'accept', 'reject', 'approve'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];
export const FRAME_TYPES = [...CLIENT_TYPES, 'presence', 'system'] as const;
export type FrameType = (typeof FRAME_TYPES)[number];

export const CHAT_MAX_CHARS = 2000;

const ProposalFields = {
  claimIds: Type.Array(Id, { minItems: 1, maxItems: 50, uniqueItems: true }),
  kind: StringEnum(SETTLEMENT_KINDS),
  totalFen: Type.Integer({ minimum: 1, maximum: 10_000_000_000 }),
  instalments: Type.Array(
    Type.Object(
      { dueDate: IsoDate, amountFen: Type.Integer({ minimum: 1, maximum: 10_000_000_000 }) },
      { additionalProperties: false },
    ),
    { minItems: 1, maxItems: 120 },
  ),
  note: Type.Optional(Type.String({ maxLength: 500 })),
};
const Seq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const BODY_SCHEMAS = {
  chat: Type.Object(
    { text: Type.String({ minLength: 1, maxLength: CHAT_MAX_CHARS }) },
    { additionalProperties: false },
  ),
  proposal: Type.Object(ProposalFields, { additionalProperties: false }),
  counter: Type.Object({ ...ProposalFields, answers: Seq }, { additionalProperties: false }),
  accept: Type.Object({ proposalSeq: Seq }, { additionalProperties: false }),
  reject: Type.Object(
    { proposalSeq: Seq, reason: Type.Optional(Type.String({ maxLength: 500 })) },
    { additionalProperties: false },
  ),
  approve: Type.Object({ proposalSeq: Seq }, { additionalProperties: false }),
} satisfies Record<ClientType, TSchema>;

export type ChatBody = Static<typeof BODY_SCHEMAS.chat>;
export type ProposalBody = Static<typeof BODY_SCHEMAS.proposal>;
export type CounterBody = Static<typeof BODY_SCHEMAS.counter>;
export type AnswerBody = Static<typeof BODY_SCHEMAS.accept> & { reason?: string };

const checkers = Object.fromEntries(
  Object.entries(BODY_SCHEMAS).map(([type, schema]) => [type, Compile(schema)]),
) as unknown as {
  [K in ClientType]: ReturnType<typeof Compile<(typeof BODY_SCHEMAS)[K]>>;
};

export type ClientFrame =
  | { type: 'hello'; lastSeq: number }
  | { type: 'typing' }
  | { type: 'chat'; id: string; body: ChatBody }
  | { type: 'proposal'; id: string; body: ProposalBody }
  | { type: 'counter'; id: string; body: CounterBody }
  | { type: 'accept' | 'reject' | 'approve'; id: string; body: AnswerBody };

/** A refused frame: sent back to its sender as an error frame, never stored. */
export interface FrameError {
  code: string;
  detail: string;
  /** The client id of the refused frame, when it could be read. */
  id: string | null;
}

const ID_PATTERN = /^[\w.:-]{1,64}$/;

/** Read one text frame from a client: the frame, or why it is refused. */
export function parseClientFrame(text: string): ClientFrame | FrameError {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { code: 'malformed_json', detail: 'The frame is not valid JSON; send one JSON object per frame.', id: null };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { code: 'invalid_frame', detail: 'A frame is a JSON object with "type", "id" and "body".', id: null };
  const f = raw as Record<string, unknown>;
  const id = typeof f.id === 'string' && ID_PATTERN.test(f.id) ? f.id : null;
  if (f.type === 'hello') {
    const lastSeq = f.lastSeq ?? 0;
    if (
      !Number.isSafeInteger(lastSeq) ||
      (lastSeq as number) < 0 ||
      Object.keys(f).some((k) => k !== 'type' && k !== 'lastSeq')
    ) {
      return {
        code: 'invalid_frame',
        detail: 'hello is {"type":"hello","lastSeq":N} with N the last seq you hold (0 for none).',
        id: null,
      };
    }
    return { type: 'hello', lastSeq: lastSeq as number };
  }
  if (f.type === 'typing') {
    if (Object.keys(f).some((k) => k !== 'type'))
      return { code: 'invalid_frame', detail: 'typing is {"type":"typing"} and nothing else.', id: null };
    return { type: 'typing' };
  }
  if (typeof f.type !== 'string' || !(CLIENT_TYPES as readonly string[]).includes(f.type)) {
    return {
      code: 'unknown_type',
      detail: `Unknown frame type ${JSON.stringify(f.type)}; a client sends hello, typing, ${CLIENT_TYPES.join(', ')}.`,
      id,
    };
  }
  const type = f.type as ClientType;
  if (id === null)
    return {
      code: 'invalid_frame',
      detail: 'Every frame needs an "id": 1–64 letters, digits, "_", "-", "." or ":", unique among your frames.',
      id: null,
    };
  const extra = Object.keys(f).filter((k) => k !== 'type' && k !== 'id' && k !== 'body');
  if (extra.length)
    return {
      code: 'invalid_frame',
      detail: `Unknown field(s) ${extra.join(', ')}: a frame has only type, id and body.`,
      id,
    };
  const badText = malformedTextAt(f.body, '/body');
  if (badText) return { code: 'invalid_frame', detail: `${badText} ${MALFORMED_TEXT_MESSAGE}.`, id };
  const checker = checkers[type];
  if (!checker.Check(f.body)) {
    const problems = [...checker.Errors(f.body)].slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
    return { code: 'invalid_frame', detail: `The ${type} body is not valid: ${problems.join('; ')}.`, id };
  }
  return { type, id, body: f.body } as ClientFrame;
}

export interface FrameFrom {
  role: PartyRole | 'system';
  name: string;
}

/** A stored frame as every client sees it. */
export interface SessionFrame {
  type: FrameType;
  seq: number;
  id: string | null;
  from: FrameFrom;
  at: string;
  body: Record<string, unknown>;
}

export const SYSTEM_FROM: FrameFrom = { role: 'system', name: '系统' };

/** Someone is typing: passed on to the others in the room as it comes, never stored (seq null). */
export const typingFrame = (from: FrameFrom, at: Date) =>
  JSON.stringify({ type: 'typing', seq: null, id: null, from, at: at.toISOString(), body: {} });

/** The error frame for a refused client frame. */
export const errorFrame = (e: FrameError, at: Date) => ({
  type: 'error' as const,
  seq: null,
  id: e.id,
  from: SYSTEM_FROM,
  at: at.toISOString(),
  body: { code: e.code, detail: e.detail },
});

export const SessionFrameSchema = Type.Object({
  type: StringEnum(FRAME_TYPES),
  seq: Type.Integer(),
  id: Type.Union([Type.String(), Type.Null()]),
  from: Type.Object({ role: Type.String(), name: Type.String() }),
  at: Type.String({ format: 'date-time' }),
  body: Type.Record(Type.String(), Type.Unknown()),
});
