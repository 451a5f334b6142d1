import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/id-generator.js';
import { userNotFound } from '../users/errors.js';
import type { UserRepository } from '../users/user-repository.js';
import { CannotFollowSelfError } from './errors.js';
import type { FeedUpdates } from '../timelines/feed-updates.js';
import type { FollowRepository } from './follow-repository.js';

export class FollowUser {
  constructor(
    private readonly users: UserRepository,
    private readonly follows: FollowRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly updates: FeedUpdates,
  ) {}

  async execute(input: { followerId: string; username: string }): Promise<void> {
    const followee = await this.users.findByUsername(input.username);
    if (!followee) throw userNotFound(input.username);
    if (followee.id === input.followerId) throw new CannotFollowSelfError();
    const now = this.clock.now();
    const update = await this.updates.expect({ kind: 'follow', followerId: input.followerId, followeeId: followee.id });
    await this.follows.follow({
      id: this.ids.next(now),
      followerId: input.followerId,
      followeeId: followee.id,
      createdAt: now,
    });
    await update.settle(true);
  }
}
