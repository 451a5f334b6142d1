import neo4j, { type Integer } from 'neo4j-driver';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import { searchKey, type Post } from '../../internal/domain/posts/post.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';

/** LIMIT and friends must be Neo4j integers, not JavaScript floats. */
export function int(value: number): Integer {
  return neo4j.int(value);
}

export function toNumber(value: unknown): number {
  return neo4j.isInt(value) ? (value as Integer).toNumber() : Number(value ?? 0);
}

/** Properties of a node as returned by `RETURN n {.*}`: plain values, times as ISO strings. */
export type Props = Record<string, unknown>;

export function str(props: Props, key: string): string {
  return String(props[key]);
}

export function strOrNull(props: Props, key: string): string | null {
  const value = props[key];
  return value === null || value === undefined ? null : String(value);
}

/**
 * `WHERE` with only the conditions a query needs (falsy entries are left out). Keyset pages
 * build their Cypher this way rather than with `$x IS NULL OR ...`, which hides every
 * predicate from the planner: it then scans the whole label and sorts it. Pages also always
 * keep a predicate on the id they order by, so the range index yields them in order, and
 * order the nodes (`WITH n ORDER BY n.id`) before projecting them: ordering a projected map
 * by its `id` key cannot use the index, and sorts every match.
 */
export function where(...conditions: Array<string | false | undefined | null>): string {
  const kept = conditions.filter((c): c is string => typeof c === 'string' && c.length > 0);
  return kept.length ? `WHERE ${kept.join(' AND ')}` : '';
}

/** `$rows` as `row`, less those whose `<label>` node (by the id at `id`) the graph already holds: a bulk write leaves them as they are. */
export function rowsNotHeld(label: string, id: string): string {
  return `UNWIND $rows AS row OPTIONAL MATCH (held:${label} {id: ${id}}) WITH row WHERE held IS NULL`;
}

// Each entity's node properties, one mapping each way, for the repositories and the bulk seeder alike.

export function userProps(u: User): Props {
  return { id: u.id, username: u.username, username_key: usernameKey(u.username), password_hash: u.passwordHash, joined_at: u.joinedAt.toISOString() };
}

export function toUser(p: Props): User {
  return { id: str(p, 'id'), username: str(p, 'username'), passwordHash: str(p, 'password_hash'), joinedAt: new Date(str(p, 'joined_at')) };
}

/** A FOLLOWS relationship's properties, with its two ends' ids. */
export function followProps(f: Follow): Props {
  return { id: f.id, follower_id: f.followerId, followee_id: f.followeeId, created_at: f.createdAt.toISOString() };
}

export function toFollow(p: Props): Follow {
  return { id: str(p, 'id'), followerId: str(p, 'follower_id'), followeeId: str(p, 'followee_id'), createdAt: new Date(str(p, 'created_at')) };
}

/** The post under one daily slot, with the keys the domain gave it. */
export function postProps(p: Post, slotKey: string, repostKey: string): Props {
  return {
    id: p.id, kind: p.kind, author_id: p.authorId, author_name: p.authorName, content: p.content, original_id: p.originalId,
    created_at: p.createdAt.toISOString(), search_text: p.content === null ? null : searchKey(p.content), slot_key: slotKey, repost_key: repostKey,
  };
}

/** A post's own properties, as map projection items: never its keys or its counters. */
export const POST_FIELDS = '.id, .kind, .author_id, .author_name, .content, .original_id, .created_at';

/** What a post is read from (`RETURN ${POST} AS p`). */
export const POST = `p {${POST_FIELDS}}`;

export function toPost(p: Props): Post {
  return {
    id: str(p, 'id'), kind: str(p, 'kind') as Post['kind'], authorId: str(p, 'author_id'), authorName: str(p, 'author_name'), content: strOrNull(p, 'content'),
    originalId: strOrNull(p, 'original_id'), createdAt: new Date(str(p, 'created_at')),
  };
}
