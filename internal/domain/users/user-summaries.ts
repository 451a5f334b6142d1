import type { UserSummary } from './user.js';
import type { UserRepository } from './user-repository.js';

/** Names for the ids other modules keep (blog owners, article authors), in one call. */
export class UserSummaries {
  constructor(private readonly users: UserRepository) {}

  async execute(ids: readonly string[]): Promise<Map<string, UserSummary>> {
    const users = await this.users.findManyByIds([...new Set(ids)]);
    return new Map(users.map((u) => [u.id, { id: u.id, username: u.username }]));
  }
}
