import type { Driver } from 'neo4j-driver';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { UsernameTakenError } from '../../internal/domain/users/errors.js';
import type { Session, SessionRef } from '../../internal/domain/users/session.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';
import type { UserRepository } from '../../internal/domain/users/user-repository.js';
import { violatedProperty } from './errors.js';
import { int, str, type Props, where } from './records.js';

function toEntity(props: Props): User {
  return {
    id: str(props, 'id'),
    username: str(props, 'username'),
    passwordHash: str(props, 'password_hash'),
    joinedAt: new Date(str(props, 'joined_at')),
  };
}

/**
 * Users are (:User) nodes. A node without a username is a stub another module made (a
 * follow or a post names users that may live in another store), so reads skip it.
 * Sessions are (:User)-[:HAS_SESSION]->(:Session {id, expires_at}); times are ISO strings,
 * which compare in time order.
 */
export class Neo4jUserRepository implements UserRepository {
  constructor(private readonly driver: Driver) {}

  async create(user: User): Promise<void> {
    try {
      await this.driver.executeQuery(
        `MERGE (u:User {id: $id})
         SET u.username = $username, u.username_key = $key, u.password_hash = $hash, u.joined_at = $joinedAt`,
        { id: user.id, username: user.username, key: usernameKey(user.username), hash: user.passwordHash, joinedAt: user.joinedAt.toISOString() },
      );
    } catch (err) {
      if (violatedProperty(err) === 'username_key') throw new UsernameTakenError(user.username);
      throw err;
    }
  }

  async findById(id: string): Promise<User | null> {
    return this.one('MATCH (u:User {id: $id}) WHERE u.username IS NOT NULL RETURN u {.*} AS u', { id });
  }

  async findByUsername(username: string): Promise<User | null> {
    return this.one('MATCH (u:User {username_key: $key}) RETURN u {.*} AS u', { key: usernameKey(username) });
  }

  async findManyByIds(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const { records } = await this.driver.executeQuery(
      'MATCH (u:User) WHERE u.id IN $ids AND u.username IS NOT NULL RETURN u {.*} AS u',
      { ids: [...ids] },
      { routing: 'READ' },
    );
    return records.map((r) => toEntity(r.get('u') as Props));
  }

  async page(request: PageRequest): Promise<Page<User>> {
    const { records } = await this.driver.executeQuery(
      `MATCH (u:User) ${where('u.username IS NOT NULL', request.before ? 'u.id < $before' : 'u.id IS NOT NULL')}
       WITH u ORDER BY u.id DESC LIMIT $limit RETURN u {.*} AS u`,
      { before: request.before ?? null, limit: int(request.limit + 1) },
      { routing: 'READ' },
    );
    return toPage(records.map((r) => toEntity(r.get('u') as Props)), request.limit, (u) => u.id);
  }

  async createSession(session: Session, now: Date): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (u:User {id: $userId}) WHERE u.username IS NOT NULL
       OPTIONAL MATCH (u)-[:HAS_SESSION]->(old:Session) WHERE old.expires_at <= $now
       DETACH DELETE old
       WITH DISTINCT u
       CREATE (u)-[:HAS_SESSION]->(:Session {id: $id, expires_at: $expiresAt})`,
      { userId: session.userId, id: session.id, expiresAt: session.expiresAt.toISOString(), now: now.toISOString() },
    );
  }

  /** One MATCH from the session (unique constraint) to its user. */
  async findBySession(ref: SessionRef, now: Date): Promise<User | null> {
    return this.one(
      `MATCH (s:Session {id: $sessionId})<-[:HAS_SESSION]-(u:User {id: $userId})
       WHERE s.expires_at > $now AND u.username IS NOT NULL RETURN u {.*} AS u`,
      { sessionId: ref.sessionId, userId: ref.userId, now: now.toISOString() },
    );
  }

  async deleteSession(ref: SessionRef): Promise<void> {
    await this.driver.executeQuery(
      'MATCH (:User {id: $userId})-[:HAS_SESSION]->(s:Session {id: $sessionId}) DETACH DELETE s',
      { sessionId: ref.sessionId, userId: ref.userId },
    );
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.driver.executeQuery('MATCH (:User {id: $userId})-[:HAS_SESSION]->(s:Session) DETACH DELETE s', { userId });
  }

  private async one(cypher: string, params: Record<string, unknown>): Promise<User | null> {
    const { records } = await this.driver.executeQuery(cypher, params, { routing: 'READ' });
    const props = records[0]?.get('u') as Props | undefined;
    return props ? toEntity(props) : null;
  }
}
