import type { SessionRef } from './session.js';
import type { UserRepository } from './user-repository.js';

/** Ends the caller's session: the token that named it fails from now on. Idempotent. */
export class LogOut {
  constructor(private readonly users: UserRepository) {}

  execute(input: SessionRef): Promise<void> {
    return this.users.deleteSession(input);
  }
}
