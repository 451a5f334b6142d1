import { DomainError, NotFoundError } from '../shared/errors.js';

export class UsernameTakenError extends DomainError {
  readonly code = 'USERNAME_TAKEN';
  readonly kind = 'conflict';

  constructor(username: string) {
    super(`The username "${username}" is taken`);
  }
}

export class InvalidCredentialsError extends DomainError {
  readonly code = 'INVALID_CREDENTIALS';
  readonly kind = 'unauthenticated';

  constructor() {
    super('Unknown username or wrong password');
  }
}

export function userNotFound(username: string): NotFoundError {
  return new NotFoundError('USER_NOT_FOUND', `No user is named "${username}"`);
}
