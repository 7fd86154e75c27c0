/** Schema primitives shared by every route: ids, money, dates, problems, pages. */
import { type TSchema, Type } from 'typebox';
import { INVISIBLE_CONTROLS } from '../../domain/cell-values.js';

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
/** Money is integer fen (1 yuan = 100 fen). */
export const Fen = Type.Integer({ minimum: 0, description: 'amount in fen (1/100 yuan)' });
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'calendar date YYYY-MM-DD' });
export const Instant = Type.String({ format: 'date-time' });
/** A string that is one of `values`, typed as their union. */
export const StringEnum = <const T extends readonly string[]>(values: T, opts: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
/** A name people read: no control or bidirectional characters, as in imported names and addresses. */
export const PlainName = (opts: { minLength: number; maxLength: number }) =>
  Type.String({ ...opts, pattern: `^[^${INVISIBLE_CONTROLS.source.slice(1, -1)}]*$` });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** An uploaded file, as a field of a multipart form described in the OpenAPI document. */
export const FilePart = (description: string) => Type.Unsafe<Blob>({ type: 'string', format: 'binary', description });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'stable machine-readable error code' }),
    detail: Type.String({ description: 'what went wrong and what to do' }),
    instance: Type.String(),
    requestId: Type.String(),
    reason: Type.Optional(Type.String({ description: 'a finer code, e.g. the lifecycle rule that refused' })),
    fields: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'application/problem+json (RFC 9457)' },
);

/** Problem responses for the given statuses, for the OpenAPI document. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('Problem')]));
}

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  after: Type.Optional(Type.String({ maxLength: 64, description: "cursor from the previous page's nextCursor" })),
};
