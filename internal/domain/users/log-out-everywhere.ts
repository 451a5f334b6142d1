import type { UserRepository } from './user-repository.js';

/** Ends every session of the user: all of their tokens fail from now on. Idempotent. */
export class LogOutEverywhere {
  constructor(private readonly users: UserRepository) {}

  execute(input: { userId: string }): Promise<void> {
    return this.users.deleteSessionsOf(input.userId);
  }
}
