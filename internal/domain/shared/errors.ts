/**
 * What kind of failure a domain error is. The HTTP shell maps kinds to statuses;
 * the domain itself knows nothing of HTTP.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

export interface FieldProblem {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'invalid';

  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  readonly kind = 'unauthenticated';

  constructor(message = 'A valid bearer token is required') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  readonly kind = 'forbidden';

  constructor(message = 'Only the owner may do this') {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A store (database) could not be reached; the request may succeed later. */
export class StoreUnavailableError extends DomainError {
  readonly code = 'STORE_UNAVAILABLE';
  readonly kind = 'unavailable';

  constructor(
    readonly store: string,
    override readonly cause?: unknown,
  ) {
    super(`The ${store} store is unavailable`);
  }
}

/** Too much work is queued (say, password hashes under a log-in flood); retry after a pause. */
export class OverloadedError extends DomainError {
  readonly code = 'OVERLOADED';
  readonly kind = 'unavailable';

  constructor(
    readonly what: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(`The server is busy with ${what}; retry shortly`);
  }
}

/** The service is read-only for now (READ_ONLY=true, say during a move to another store): writes wait. */
export class ReadOnlyError extends DomainError {
  readonly code = 'READ_ONLY';
  readonly kind = 'unavailable';

  constructor(readonly retryAfterSeconds = 60) {
    super('The service is read-only for now (a maintenance such as a move to another store); reads still work');
  }
}

/**
 * Each field is valid but together they ask for nothing (`from` after `to`, a minimum above the
 * maximum): a well-formed request the rules cannot process (422), not a malformed one (400).
 */
export class InvalidRangeError extends DomainError {
  readonly code = 'INVALID_RANGE';
  readonly kind = 'unprocessable';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
  }
}
