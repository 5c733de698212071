/**
 * Errors that become problem+json answers (API.md, "Errors"). Services throw them; the error
 * plugin turns them into responses (JSON) or re-rendered forms (pages).
 */

export interface FieldError {
  path: string;
  message: string;
}

export type ProblemCode =
  | 'bad_request' | 'validation_failed' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict'
  | 'invalid_state' | 'payload_too_large' | 'unsupported_media_type' | 'closed' | 'window_not_open'
  | 'quota_exceeded' | 'capacity_exceeded' | 'borrowing_suspended' | 'rate_limited';

const STATUS: Record<ProblemCode, number> = {
  bad_request: 400, validation_failed: 422, unauthenticated: 401, forbidden: 403, not_found: 404,
  conflict: 409, invalid_state: 409, payload_too_large: 413, unsupported_media_type: 415, closed: 422,
  window_not_open: 422, quota_exceeded: 422, capacity_exceeded: 422, borrowing_suspended: 403, rate_limited: 429,
};

const TITLE: Record<ProblemCode, string> = {
  bad_request: 'Malformed request', validation_failed: 'Validation failed', unauthenticated: 'Login required',
  forbidden: 'Not allowed', not_found: 'Not found', conflict: 'Already taken', invalid_state: 'Not possible in this state',
  payload_too_large: 'Request too large', unsupported_media_type: 'Unsupported media type', closed: 'Closed',
  window_not_open: 'Booking window not open', quota_exceeded: 'Quota exceeded', capacity_exceeded: 'Capacity exceeded',
  borrowing_suspended: 'Borrowing suspended', rate_limited: 'Too many requests',
};

/** Base of every error that has an answer for the user. */
export class ProblemError extends Error {
  override readonly name: string = 'ProblemError';
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.status = STATUS[code];
    this.title = TITLE[code];
  }
}

/** Thrown when input breaks a rule of form: types, grid, lengths, duplicates. */
export class ValidationError extends ProblemError {
  override readonly name = 'ValidationError';
  constructor(readonly errors: FieldError[], detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ')) {
    super('validation_failed', detail, { errors });
  }
}

/** Thrown for anything the actor may not see — including another person's data, which must not be revealed. */
export class NotFoundError extends ProblemError {
  override readonly name = 'NotFoundError';
  constructor(what = 'resource') {
    super('not_found', `${what} not found`);
  }
}

/** Thrown when a space (or equipment) is already taken, or a change would strand bookings. */
export class ConflictError extends ProblemError {
  override readonly name = 'ConflictError';
  constructor(detail: string, conflicts: unknown[]) {
    super('conflict', detail, { conflicts });
  }
}

/** Thrown when an action does not fit the current state (cancelling twice, approving twice). */
export class InvalidStateError extends ProblemError {
  override readonly name = 'InvalidStateError';
  constructor(detail: string) {
    super('invalid_state', detail);
  }
}

/** Thrown when no one is logged in for an action that needs a user. */
export class UnauthenticatedError extends ProblemError {
  override readonly name = 'UnauthenticatedError';
  constructor(detail = 'login required') {
    super('unauthenticated', detail);
  }
}

/** Thrown when the actor's role may not do this at all (not for other people's data: that is NotFoundError). */
export class ForbiddenError extends ProblemError {
  override readonly name = 'ForbiddenError';
  constructor(detail = 'not allowed for your role') {
    super('forbidden', detail);
  }
}
