import type { Page, PageRequest } from '../shared/page.js';
import { userNotFound } from '../users/errors.js';
import type { User } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import type { FollowRepository } from './follow-repository.js';

/** The followers or the followed of a user, newest follow first, as users. */
export class ListConnections {
  constructor(
    private readonly users: UserRepository,
    private readonly follows: FollowRepository,
  ) {}

  async execute(input: {
    username: string;
    direction: 'followers' | 'following';
    page: PageRequest;
  }): Promise<Page<User>> {
    const user = await this.users.findByUsername(input.username);
    if (!user) throw userNotFound(input.username);
    const page =
      input.direction === 'followers'
        ? await this.follows.followers(user.id, input.page)
        : await this.follows.following(user.id, input.page);
    const otherIds = page.items.map((f) => (input.direction === 'followers' ? f.followerId : f.followeeId));
    const byId = new Map((await this.users.findManyByIds(otherIds)).map((u) => [u.id, u]));
    return {
      items: otherIds.flatMap((id) => byId.get(id) ?? []),
      next: page.next,
    };
  }
}
