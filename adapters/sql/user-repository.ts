import type { Kysely, Selectable } from 'kysely';
import { isId } from '../../internal/domain/shared/id-generator.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { toPage } from '../../internal/domain/shared/page.js';
import { UsernameTakenError } from '../../internal/domain/users/errors.js';
import type { Session, SessionRef } from '../../internal/domain/users/session.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';
import type { UserRepository } from '../../internal/domain/users/user-repository.js';
import { toDate } from './dialect.js';
import { violatedUnique } from './errors.js';
import type { Database, UsersTable } from './schema.js';

type Row = Selectable<UsersTable>;

function toEntity(row: Row): User {
  return { id: row.id, username: row.username, passwordHash: row.password_hash, joinedAt: toDate(row.joined_at) };
}

export class SqlUserRepository implements UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(user: User): Promise<void> {
    try {
      await this.db
        .insertInto('users')
        .values({
          id: user.id,
          username: user.username,
          username_key: usernameKey(user.username),
          password_hash: user.passwordHash,
          joined_at: user.joinedAt.toISOString(),
        })
        .execute();
    } catch (err) {
      if (violatedUnique(err)?.includes('username_key')) throw new UsernameTakenError(user.username);
      throw err;
    }
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toEntity(row) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username_key', '=', usernameKey(username))
      .executeTakeFirst();
    return row ? toEntity(row) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
    return rows.map(toEntity);
  }

  async page(request: PageRequest): Promise<Page<User>> {
    let query = this.db.selectFrom('users').selectAll();
    if (request.before) query = query.where('id', '<', request.before);
    const rows = await query.orderBy('id', 'desc').limit(request.limit + 1).execute();
    return toPage(rows.map(toEntity), request.limit, (u) => u.id);
  }

  async createSession(session: Session, now: Date): Promise<void> {
    await this.db
      .deleteFrom('sessions')
      .where('user_id', '=', session.userId)
      .where('expires_at', '<=', now.toISOString())
      .execute();
    await this.db
      .insertInto('sessions')
      .values({ id: session.id, user_id: session.userId, expires_at: session.expiresAt.toISOString() })
      .execute();
  }

  /** One join on the sessions primary key. */
  async findBySession(ref: SessionRef, now: Date): Promise<User | null> {
    // PostgreSQL refuses a malformed uuid with an error; a token naming one simply names no session.
    if (!isId(ref.sessionId) || !isId(ref.userId)) return null;
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .where('sessions.id', '=', ref.sessionId)
      .where('sessions.user_id', '=', ref.userId)
      .where('sessions.expires_at', '>', now.toISOString())
      .executeTakeFirst();
    return row ? toEntity(row) : null;
  }

  async deleteSession(ref: SessionRef): Promise<void> {
    if (!isId(ref.sessionId) || !isId(ref.userId)) return;
    await this.db.deleteFrom('sessions').where('id', '=', ref.sessionId).where('user_id', '=', ref.userId).execute();
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    if (!isId(userId)) return;
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }
}
