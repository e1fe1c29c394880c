/**
 * Every error any protocol can answer with: a stable code, its HTTP status and a
 * default detail. REST, and later GraphQL and gRPC, map from this one table.
 */
export const ERROR_CATALOGUE = {
  invalid_input: { status: 400, detail: 'The request is not valid.' },
  unauthorized: { status: 401, detail: 'Credentials are missing.' },
  forbidden: { status: 403, detail: 'These credentials may not do that.' },
  not_found: { status: 404, detail: 'No such resource.' },
  method_not_allowed: { status: 405, detail: 'This path does not take that method.' },
  request_timeout: { status: 408, detail: 'The request did not arrive in time.' },
  no_capacity: { status: 409, detail: 'No table or combination of tables fits the party in that window.' },
  pacing_limit: { status: 409, detail: 'The covers starting in that interval are at the pacing limit.' },
  already_exists: { status: 409, detail: 'An entity with that id exists.' },
  idempotency_in_progress: { status: 409, detail: 'A request with this Idempotency-Key is still being processed.' },
  not_pending: { status: 409, detail: 'The booking is not a hold waiting for approval.' },
  invalid_transition: { status: 409, detail: "The booking's status does not allow that step." },
  guest_unavailable: { status: 409, detail: 'The guest profile was merged into another or erased.' },
  seats_taken: { status: 409, detail: 'Bookings or blackouts hold those tables in that interval.' },
  payload_too_large: { status: 413, detail: 'The request body is too large.' },
  unsupported_media_type: { status: 415, detail: 'Send the body as application/json.' },
  outside_service_window: { status: 422, detail: 'The requested window does not meet service hours.' },
  idempotency_key_reused: { status: 422, detail: 'This Idempotency-Key was used with a different payload.' },
  rate_limited: { status: 429, detail: 'Too many requests.' },
  header_too_large: { status: 431, detail: 'The request line and headers are over the 16 KiB limit.' },
  internal_error: { status: 500, detail: 'Something went wrong on our side.' },
  unavailable: { status: 503, detail: 'The service cannot answer right now.' },
} as const satisfies Record<string, { status: number; detail: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string = ERROR_CATALOGUE[code].detail,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'AppError';
    this.status = ERROR_CATALOGUE[code].status;
  }

  toBody(): { error: ErrorCode; detail: string } & Record<string, unknown> {
    return { ...this.extra, error: this.code, detail: this.detail };
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
