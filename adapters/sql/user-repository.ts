import type { Kysely } from 'kysely';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { UsernameTakenError } from '../../internal/domain/users/errors.js';
import type { Session, SessionRef } from '../../internal/domain/users/session.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';
import type { UserRepository } from '../../internal/domain/users/user-repository.js';
import { isId } from '../../internal/domain/shared/id-generator.js';
import { CompiledShape } from './compiled.js';
import { violatedUnique } from './errors.js';
import { idIn, idIs } from './ids.js';
import { keysetPage } from './keyset.js';
import { toUser, userRow } from './records.js';
import type { Database } from './schema.js';

export class SqlUserRepository implements UserRepository {
  /** The statements of every request's reads (a profile, a bearer token), compiled once. */
  private readonly byUsername;
  private readonly bySession;

  constructor(private readonly db: Kysely<Database>) {
    this.byUsername = new CompiledShape(db, () => db.selectFrom('users').selectAll().where('username_key', '=', ''));
    this.bySession = new CompiledShape(db, () =>
      db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .where('sessions.id', '=', '')
        .where('sessions.user_id', '=', '')
        .where('sessions.expires_at', '>', ''),
    );
  }

  async create(user: User): Promise<void> {
    try {
      await this.db.insertInto('users').values(userRow(user)).execute();
    } catch (err) {
      if (violatedUnique(err)?.includes('username_key')) throw new UsernameTakenError(user.username);
      throw err;
    }
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').selectAll().where(idIs('id', id)).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const row = await this.byUsername.first([usernameKey(username)]);
    return row ? toUser(row) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('users').selectAll().where(idIn('id', ids)).execute();
    return rows.map(toUser);
  }

  page(request: PageRequest): Promise<Page<User>> {
    return keysetPage(this.db.selectFrom('users').selectAll(), request, toUser);
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
    if (!isId(ref.sessionId) || !isId(ref.userId)) return null;
    const row = await this.bySession.first([ref.sessionId, ref.userId, now.toISOString()]);
    return row ? toUser(row) : null;
  }

  async deleteSession(ref: SessionRef): Promise<void> {
    await this.db.deleteFrom('sessions').where(idIs('id', ref.sessionId)).where(idIs('user_id', ref.userId)).execute();
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where(idIs('user_id', userId)).execute();
  }
}
