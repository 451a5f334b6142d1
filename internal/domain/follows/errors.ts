import { DomainError } from '../shared/errors.js';

export class CannotFollowSelfError extends DomainError {
  readonly code = 'CANNOT_FOLLOW_SELF';
  readonly kind = 'unprocessable';

  constructor() {
    super('A user cannot follow themselves');
  }
}
