import type { Driver } from 'neo4j-driver';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { UsernameTakenError } from '../../internal/domain/users/errors.js';
import type { Session, SessionRef } from '../../internal/domain/users/session.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';
import type { UserRepository } from '../../internal/domain/users/user-repository.js';
import { violatedProperty } from './errors.js';
import { keysetPage } from './keyset.js';
import { toUser, userProps, type Props } from './records.js';

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
      await this.driver.executeQuery('MERGE (u:User {id: $user.id}) SET u += $user', { user: userProps(user) });
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
    return records.map((r) => toUser(r.get('u') as Props));
  }

  page(request: PageRequest): Promise<Page<User>> {
    return keysetPage(this.driver, { match: 'MATCH (u:User)', key: 'u', conditions: ['u.username IS NOT NULL'], returns: 'u {.*}' }, request, toUser);
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
    return props ? toUser(props) : null;
  }
}
