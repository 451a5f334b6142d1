import { MongoBulkWriteError, type Db } from 'mongodb';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import type { Post } from '../../internal/domain/posts/post.js';
import type { User } from '../../internal/domain/users/user.js';
import { followDoc, postDoc, userDoc } from './records.js';
import type { FollowDoc, PostDoc, UserDoc } from './schema.js';

/** Unordered insertMany per batch; duplicates (a re-run) are skipped, anything else fails. */
async function insertAll<T extends { _id: string }>(db: Db, name: string, docs: T[]): Promise<void> {
  try {
    await db.collection<T>(name).insertMany(docs as never, { ordered: false });
  } catch (err) {
    const onlyDuplicates = err instanceof MongoBulkWriteError && err.writeErrors instanceof Array && err.writeErrors.every((e) => e.code === 11000);
    const single = err instanceof MongoBulkWriteError && !(err.writeErrors instanceof Array) && err.code === 11000;
    if (!onlyDuplicates && !single) throw err;
  }
}

export class MongoBulkSeeder {
  constructor(private readonly db: Db) {}

  users(users: readonly User[]): Promise<void> {
    return insertAll<UserDoc>(this.db, 'users', users.map(userDoc));
  }

  follows(follows: readonly Follow[]): Promise<void> {
    return insertAll<FollowDoc>(this.db, 'follows', follows.map(followDoc));
  }

  posts(posts: ReadonlyArray<{ post: Post; slotKey: string; repostKey: string }>): Promise<void> {
    return insertAll<PostDoc>(this.db, 'posts', posts.map((p) => postDoc(p.post, p.slotKey, p.repostKey)));
  }
}
