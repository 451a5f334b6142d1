import { MongoBulkWriteError, type Db } from 'mongodb';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import { repostKey, type Post } from '../../internal/domain/posts/post.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';
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
    return insertAll<UserDoc>(
      this.db,
      'users',
      users.map((u) => ({ _id: u.id, username: u.username, username_key: usernameKey(u.username), password_hash: u.passwordHash, joined_at: u.joinedAt })),
    );
  }

  follows(follows: readonly Follow[]): Promise<void> {
    return insertAll<FollowDoc>(
      this.db,
      'follows',
      follows.map((f) => ({ _id: f.id, follower_id: f.followerId, followee_id: f.followeeId, created_at: f.createdAt })),
    );
  }

  posts(posts: ReadonlyArray<{ post: Post; slotKey: string }>): Promise<void> {
    return insertAll<PostDoc>(
      this.db,
      'posts',
      posts.map(({ post, slotKey }) => ({
        _id: post.id,
        kind: post.kind,
        author_id: post.authorId,
        content: post.content,
        search_text: post.content?.toLowerCase() ?? null,
        original_id: post.originalId,
        created_at: post.createdAt,
        slot_key: slotKey,
        repost_key: repostKey(post),
      })),
    );
  }
}
