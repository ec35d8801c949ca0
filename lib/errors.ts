// One error class for everything a client may see; the code decides the HTTP status.
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  insufficient_credits: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  validation_failed: 422,
  idempotency_key_reused: 422,
  idempotency_key_deleted: 409,
  provider_unavailable: 422,
  rate_limited: 429,
  too_many_active_videos: 429,
  internal_error: 500,
  misconfigured: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldIssue {
  path: string;
  message: string;
}

// Next.js may load this module once per bundle (instrumentation, each route), so an AppError made in
// one bundle fails `instanceof` in another. A registered symbol brands them all alike.
const brand = Symbol.for('cueframe.AppError');

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues?: FieldIssue[];
  /** Response headers that belong with this refusal, e.g. Retry-After and the RateLimit fields of a 429. */
  readonly headers?: Record<string, string>;
  readonly [brand] = true;

  constructor(code: ErrorCode, message: string, issues?: FieldIssue[], headers?: Record<string, string>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
    this.headers = headers;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function isAppError(err: unknown): err is AppError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[brand] === true;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: FieldIssue[] };
}

export function errorBody(err: AppError): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } };
}

export function statusOf(err: AppError): number {
  return errorStatus[err.code];
}
