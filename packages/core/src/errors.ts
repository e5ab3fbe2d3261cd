// One error family for the whole platform: stable codes that map to HTTP (problem+json) at the edge and to
// retry / no-retry decisions in the worker.

export const ERROR_CODES = {
  invalid_json: { status: 400, title: 'Malformed JSON' },
  validation_failed: { status: 400, title: 'Validation failed' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  idempotency_conflict: { status: 409, title: 'Idempotency key reused with a different request' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  upstream_failed: { status: 502, title: 'Upstream MCP server failed' },
  unavailable: { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A problem in the request body/query/params, addressed by a JSON path such as `definition.steps[0].tool`. */
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { fieldErrors?: FieldError[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

/**
 * Recognises an AppError by shape, not `instanceof`: Next.js bundles each route separately, so an error may
 * come from another copy of this module.
 */
export const isAppError = (error: unknown): error is AppError =>
  error instanceof Error &&
  error.name === 'AppError' &&
  typeof (error as Partial<AppError>).code === 'string' &&
  Object.hasOwn(ERROR_CODES, (error as AppError).code) &&
  typeof (error as Partial<AppError>).options === 'object';

export const notFound = (what: string) => new AppError('not_found', `${what} was not found.`);

const describeFieldError = (e: FieldError) => {
  const text = e.path ? `${e.path}: ${e.message}` : e.message;
  return /[.!?]$/.test(text) ? text : `${text}.`;
};

export const validationFailed = (fieldErrors: FieldError[], message?: string) =>
  new AppError(
    'validation_failed',
    message ??
      (fieldErrors.length === 1
        ? describeFieldError(fieldErrors[0]!)
        : `${fieldErrors.length} problems: ${fieldErrors.map(describeFieldError).join(' ')}`),
    { fieldErrors },
  );

/** RFC 9457 problem details. `errors` carries field paths for validation problems. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  errors?: FieldError[];
}

export function toProblem(error: AppError, instance?: string): ProblemDetails {
  const { status, title } = ERROR_CODES[error.code];
  return {
    type: `https://manifold.dev/problems/${error.code.replaceAll('_', '-')}`,
    title,
    status,
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.options.fieldErrors?.length ? { errors: error.options.fieldErrors } : {}),
  };
}
