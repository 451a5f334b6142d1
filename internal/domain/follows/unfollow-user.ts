import { userNotFound } from '../users/errors.js';
import type { UserRepository } from '../users/user-repository.js';
import type { FeedUpdates } from '../timelines/feed-updates.js';
import type { FollowRepository } from './follow-repository.js';

export class UnfollowUser {
  constructor(
    private readonly users: UserRepository,
    private readonly follows: FollowRepository,
    private readonly updates: FeedUpdates,
  ) {}

  async execute(input: { followerId: string; username: string }): Promise<void> {
    const followee = await this.users.findByUsername(input.username);
    if (!followee) throw userNotFound(input.username);
    const update = await this.updates.expect({ kind: 'follow', followerId: input.followerId, followeeId: followee.id });
    await this.follows.unfollow(input.followerId, followee.id);
    await update.settle(true);
  }
}
