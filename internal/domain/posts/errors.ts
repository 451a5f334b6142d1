import { DomainError, NotFoundError } from '../shared/errors.js';

export class DailyPostLimitReachedError extends DomainError {
  readonly code = 'DAILY_POST_LIMIT_REACHED';
  readonly kind = 'rate_limited';

  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`You can create at most ${limit} posts per day; try again after the next UTC midnight`);
  }
}

export class CannotRepostARepostError extends DomainError {
  readonly code = 'CANNOT_REPOST_A_REPOST';
  readonly kind = 'unprocessable';

  constructor() {
    super('A repost may point at an original or a quote, not at a repost');
  }
}

export class CannotQuoteAQuoteError extends DomainError {
  readonly code = 'CANNOT_QUOTE_A_QUOTE';
  readonly kind = 'unprocessable';

  constructor() {
    super('A quote may point at an original or a repost, not at a quote');
  }
}

export class AlreadyRepostedError extends DomainError {
  readonly code = 'ALREADY_REPOSTED';
  readonly kind = 'conflict';

  constructor() {
    super('You have already reposted this post');
  }
}

export class ReferencedPostNotFoundError extends DomainError {
  readonly code = 'REFERENCED_POST_NOT_FOUND';
  readonly kind = 'unprocessable';

  constructor(readonly field: string) {
    super(`${field} names no existing post`);
  }
}

export function postNotFound(id: string): NotFoundError {
  return new NotFoundError('POST_NOT_FOUND', `No post has the id "${id}"`);
}
