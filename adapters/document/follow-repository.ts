import type { Collection } from 'mongodb';
import type { Follow, FollowCounts, FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { isDuplicateKey } from './errors.js';
import { keysetPage } from './keyset.js';
import { followDoc, toFollow } from './records.js';
import type { FollowDoc } from './schema.js';

export class MongoFollowRepository implements FollowRepository {
  constructor(private readonly follows: Collection<FollowDoc>) {}

  async follow(follow: Follow): Promise<void> {
    try {
      await this.follows.insertOne(followDoc(follow));
    } catch (err) {
      // The pair is unique (and the id is new): a clash means the follow exists, as asked.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.follows.deleteOne({ follower_id: followerId, followee_id: followeeId });
  }

  async isFollowing(followerId: string, followeeId: string): Promise<boolean> {
    const n = await this.follows.countDocuments({ follower_id: followerId, followee_id: followeeId }, { limit: 1 });
    return n > 0;
  }

  /** Two index-only counts (follows_by_followee, follows_by_follower). */
  async counts(userId: string): Promise<FollowCounts> {
    const [followers, following] = await Promise.all([
      this.follows.countDocuments({ followee_id: userId }),
      this.follows.countDocuments({ follower_id: userId }),
    ]);
    return { followers, following };
  }

  followers(userId: string, request: PageRequest): Promise<Page<Follow>> {
    return keysetPage(this.follows, { followee_id: userId }, request, toFollow);
  }

  following(userId: string, request: PageRequest): Promise<Page<Follow>> {
    return keysetPage(this.follows, { follower_id: userId }, request, toFollow);
  }

  async followeeIds(userId: string): Promise<string[]> {
    const docs = await this.follows
      .find({ follower_id: userId }, { projection: { _id: 0, followee_id: 1 } })
      .toArray();
    return docs.map((d) => d.followee_id);
  }
}
