import type { Collection } from 'mongodb';
import type { Follow, FollowCounts, FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { isDuplicateKey } from './errors.js';
import type { FollowDoc } from './schema.js';

function toEntity(doc: FollowDoc): Follow {
  return { id: doc._id, followerId: doc.follower_id, followeeId: doc.followee_id, createdAt: doc.created_at };
}

export class MongoFollowRepository implements FollowRepository {
  constructor(private readonly follows: Collection<FollowDoc>) {}

  async follow(follow: Follow): Promise<void> {
    try {
      await this.follows.insertOne({
        _id: follow.id,
        follower_id: follow.followerId,
        followee_id: follow.followeeId,
        created_at: follow.createdAt,
      });
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
    return this.pageBy('followee_id', userId, request);
  }

  following(userId: string, request: PageRequest): Promise<Page<Follow>> {
    return this.pageBy('follower_id', userId, request);
  }

  async followeeIds(userId: string): Promise<string[]> {
    const docs = await this.follows
      .find({ follower_id: userId }, { projection: { _id: 0, followee_id: 1 } })
      .toArray();
    return docs.map((d) => d.followee_id);
  }

  private async pageBy(field: 'follower_id' | 'followee_id', userId: string, request: PageRequest): Promise<Page<Follow>> {
    const filter = request.before ? { [field]: userId, _id: { $lt: request.before } } : { [field]: userId };
    const docs = await this.follows.find(filter).sort({ _id: -1 }).limit(request.limit + 1).toArray();
    return toPage(docs.map(toEntity), request.limit, (f) => f.id);
  }
}
