import type { UserSummary } from './user.js';
import type { UserRepository } from './user-repository.js';

/** How a user who is gone shows where another module still keeps their id. */
export function deletedUser(id: string): UserSummary {
  return { id, username: '[deleted]' };
}

/** Only the fields other modules show, whatever else `user` carries (a password hash). */
export function summaryOf(user: UserSummary): UserSummary {
  return { id: user.id, username: user.username };
}

/** Names for the ids other modules keep (post and article authors, blog owners). */
export class UserSummaries {
  constructor(private readonly users: UserRepository) {}

  /**
   * Every id named, in one store call at most: none when every id is one of `known` (the
   * caller, say). An id whose user is gone shows as "[deleted]".
   */
  async of(ids: readonly string[], known: readonly UserSummary[] = []): Promise<(id: string) => UserSummary> {
    const byId = new Map(known.map((u) => [u.id, summaryOf(u)]));
    const missing = [...new Set(ids)].filter((id) => !byId.has(id));
    if (missing.length > 0) for (const user of await this.users.findManyByIds(missing)) byId.set(user.id, summaryOf(user));
    return (id) => byId.get(id) ?? deletedUser(id);
  }
}
