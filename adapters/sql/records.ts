import type { Insertable, Selectable } from 'kysely';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import { searchKey, type Post } from '../../internal/domain/posts/post.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';
import { toDate } from './dialect.js';
import type { FollowsTable, PostsTable, UsersTable } from './schema.js';

// The rows of the entities that both the repositories and the bulk seeder write: one mapping each way.

export function userRow(u: User): Insertable<UsersTable> {
  return { id: u.id, username: u.username, username_key: usernameKey(u.username), password_hash: u.passwordHash, joined_at: u.joinedAt.toISOString() };
}

export function toUser(row: Selectable<UsersTable>): User {
  return { id: row.id, username: row.username, passwordHash: row.password_hash, joinedAt: toDate(row.joined_at) };
}

export function followRow(f: Follow): Insertable<FollowsTable> {
  return { id: f.id, follower_id: f.followerId, followee_id: f.followeeId, created_at: f.createdAt.toISOString() };
}

export function toFollow(row: Selectable<FollowsTable>): Follow {
  return { id: row.id, followerId: row.follower_id, followeeId: row.followee_id, createdAt: toDate(row.created_at) };
}

/** What a post is read from: never its keys or counters. */
export const POST_COLUMNS = ['id', 'kind', 'author_id', 'author_name', 'content', 'original_id', 'created_at'] as const;

export type PostRow = Pick<Selectable<PostsTable>, (typeof POST_COLUMNS)[number]>;

/** The post under one daily slot, with the keys the domain gave it. */
export function postRow(p: Post, slotKey: string, repostKey: string): Insertable<PostsTable> {
  return {
    id: p.id, kind: p.kind, author_id: p.authorId, author_name: p.authorName, content: p.content, original_id: p.originalId, created_at: p.createdAt.toISOString(),
    search_text: p.content === null ? null : searchKey(p.content), slot_key: slotKey, repost_key: repostKey,
  };
}

export function toPost(row: PostRow): Post {
  return {
    id: row.id, kind: row.kind, authorId: row.author_id, authorName: row.author_name, content: row.content, originalId: row.original_id,
    createdAt: toDate(row.created_at),
  };
}
