import type { Db } from 'mongodb';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import type { Post } from '../../internal/domain/posts/post.js';
import type { User } from '../../internal/domain/users/user.js';
import type { MongoCapabilities } from './capabilities.js';
import { counters, FOLLOW_COUNTERS, POST_COUNTERS, recountFollows, recountPosts } from './counters.js';
import { insertEach } from './inserts.js';
import { followDoc, postDoc, userDoc } from './records.js';
import type { FollowDoc, PostDoc, UserDoc } from './schema.js';

/** Unordered insertMany per batch; duplicates (a re-run) are skipped, anything else fails. Counters are left to `finish`. */
export class MongoBulkSeeder {
  constructor(
    private readonly db: Db,
    private readonly capabilities: () => Promise<MongoCapabilities>,
  ) {}

  async users(users: readonly User[]): Promise<void> {
    await insertEach(this.db.collection<UserDoc>('users'), users.map(userDoc));
  }

  async follows(follows: readonly Follow[]): Promise<void> {
    await insertEach(this.db.collection<FollowDoc>('follows'), follows.map(followDoc));
  }

  async posts(posts: ReadonlyArray<{ post: Post; slotKey: string; repostKey: string }>): Promise<void> {
    await insertEach(this.db.collection<PostDoc>('posts'), posts.map((p) => postDoc(p.post, p.slotKey, p.repostKey)));
  }

  /** Every counter rebuilt from the follows and the posts. */
  async finish(): Promise<void> {
    await recountFollows(this.db.collection<FollowDoc>('follows'), counters(this.db, FOLLOW_COUNTERS, this.capabilities));
    await recountPosts(this.db.collection<PostDoc>('posts'), counters(this.db, POST_COUNTERS, this.capabilities));
  }
}
