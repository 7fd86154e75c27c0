/**
 * The one error type services throw. Each code maps to one HTTP status here, and the error-handler
 * plugin renders it as application/problem+json.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  transition_forbidden: 409,
  /** A document whose facts are not true of the claim (the issuance table, domain/document-issuance.ts). */
  document_not_allowed: 409,
  version_conflict: 409,
  duplicate: 409,
  /** A job an admin asked to run is running already. */
  job_running: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  /** JSON pointer-like path of the offending field, e.g. `/body/action`. */
  field: string;
  message: string;
  /** The message in Chinese when the catalogue cannot derive it from `message` (error-catalogue.ts). */
  zh?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly fields: FieldError[];
  /** A more specific machine code inside the family, e.g. a lifecycle error `claim_on_hold`. */
  readonly reason: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail: string,
    opts: { fields?: FieldError[]; reason?: string; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(detail, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
    this.fields = opts.fields ?? [];
    this.reason = opts.reason;
    this.headers = opts.headers ?? {};
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** SQLite gave up waiting for another writer (SQLITE_BUSY): worth trying again shortly. */
export const isDatabaseBusy = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'SQLITE_BUSY';

/** A write that lost a race on a unique key (two identical requests at once): SQLite's own text stays in the log. */
export const isConstraintClash = (err: unknown): boolean =>
  String((err as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_CONSTRAINT');

export const constraintClash = () =>
  new AppError(
    'duplicate',
    'This conflicts with a record saved at the same moment, perhaps by the same request sent twice. Reload and check before sending it again.',
    { reason: 'conflict' },
  );

/** The answer when a change could not get the database's write lock in time. */
export const databaseBusy = () =>
  new AppError('unavailable', 'The database is busy with another change. Send the request again in a few seconds.', {
    reason: 'database_busy',
    headers: { 'retry-after': '5' },
  });

export const notFound = (what: string) => new AppError('not_found', `${what} was not found, or you may not see it.`);
