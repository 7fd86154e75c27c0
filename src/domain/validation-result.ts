/**
 * Result of every parser/validator in the domain layer.
 * `code` is a stable snake_case key for UI/i18n; `detail` is an English sentence a person can act on
 * and must never echo the full raw personal value (ID numbers, phones) back into logs or responses.
 */
export type Checked<T> = { ok: true; value: T; warnings?: string[] } | { ok: false; code: string; detail: string };

/** Builds a successful result, omitting `warnings` when there are none. */
export function okResult<T>(value: T, warnings: string[] = []): Checked<T> {
  return warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value };
}

/** Builds a failed result. */
export function failResult<T>(code: string, detail: string): Checked<T> {
  return { ok: false, code, detail };
}
