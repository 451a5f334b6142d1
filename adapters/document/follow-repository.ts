import type { Collection } from 'mongodb';
import type { Follow, FollowCounts, FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { counterKey, type CounterChange, type Counters } from './counters.js';
import { isDuplicateKey } from './errors.js';
import { keysetPage } from './keyset.js';
import { followDoc, toFollow } from './records.js';
import type { FollowDoc } from './schema.js';

/** A follow's change to both counters it moves. */
function counterChanges(followerId: string, followeeId: string, delta: number): CounterChange[] {
  return [
    { key: counterKey('following', followerId), delta },
    { key: counterKey('followers', followeeId), delta },
  ];
}

/**
 * The follow and its counters are separate writes (no transactions here): the counters change
 * only after the follow was inserted or deleted, so racing follows and unfollows of one pair
 * change them once per change of the pair. A process that dies between the two leaves the
 * counters off by one until the next repair (BulkSeeder.finish, ModuleTransfer.finish).
 */
export class MongoFollowRepository implements FollowRepository {
  constructor(
    private readonly follows: Collection<FollowDoc>,
    private readonly counters: Counters,
  ) {}

  async follow(follow: Follow): Promise<void> {
    try {
      await this.follows.insertOne(followDoc(follow));
    } catch (err) {
      // The pair is unique (and the id is new): a clash means the follow exists, as asked.
      if (!isDuplicateKey(err)) throw err;
      return;
    }
    await this.counters.add(counterChanges(follow.followerId, follow.followeeId, 1));
  }

  /** Deletes report exactly what they deleted, on FerretDB too: only one of racing unfollows counts. */
  async unfollow(followerId: string, followeeId: string): Promise<void> {
    const { deletedCount } = await this.follows.deleteOne({ follower_id: followerId, followee_id: followeeId });
    if (deletedCount === 1) await this.counters.add(counterChanges(followerId, followeeId, -1));
  }

  async isFollowing(followerId: string, followeeId: string): Promise<boolean> {
    const n = await this.follows.countDocuments({ follower_id: followerId, followee_id: followeeId }, { limit: 1 });
    return n > 0;
  }

  async counts(userId: string): Promise<FollowCounts> {
    const followers = counterKey('followers', userId);
    const following = counterKey('following', userId);
    const values = await this.counters.read([followers, following]);
    return { followers: values.get(followers) ?? 0, following: values.get(following) ?? 0 };
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
