import type { Kysely, Selectable } from 'kysely';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { toPage } from '../../internal/domain/shared/page.js';
import { UsernameTakenError } from '../../internal/domain/users/errors.js';
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
}
