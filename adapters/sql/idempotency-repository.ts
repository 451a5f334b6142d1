import type { Kysely } from 'kysely';
import type { Claim, IdempotencyRepository, StoredResponse } from '../../internal/domain/shared/idempotency.js';
import type { Database, Timestamp } from './schema.js';

/** A claim (pending while `status` is null), then the answer it gave. */
interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  fingerprint: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  status: number | null;
  content_type: string | null;
  location: string | null;
  body: string | null;
}

type Tables = { idempotency_keys: IdempotencyKeysTable };

/**
 * A row released between a refused claim and the read of what refused it: the claim runs again,
 * this many times at most, then answers `pending` (the key is busy).
 */
const CLAIM_ATTEMPTS = 5;

/**
 * One row per (user, key) under the primary key. A claim is one INSERT ... ON CONFLICT DO UPDATE
 * that overwrites the row only when it has expired: the database decides each claim atomically
 * (PostgreSQL makes a concurrent insert of the same key wait for the first to commit, then
 * re-checks the condition; SQLite has one writer), and RETURNING says whether this one wrote.
 */
export class SqlIdempotencyRepository implements IdempotencyRepository {
  private readonly db: Kysely<Database & Tables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<Tables>();
  }

  async claim(userId: string, key: string, fingerprint: string, now: Date, expiresAt: Date): Promise<Claim> {
    const fresh = { fingerprint, created_at: now.toISOString(), expires_at: expiresAt.toISOString() };
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const written = await this.db
        .insertInto('idempotency_keys')
        .values({ user_id: userId, key, ...fresh, status: null, content_type: null, location: null, body: null })
        .onConflict((oc) =>
          oc
            .columns(['user_id', 'key'])
            .doUpdateSet({ ...fresh, status: null, content_type: null, location: null, body: null })
            .where('idempotency_keys.expires_at', '<=', fresh.created_at),
        )
        .returning('user_id')
        .executeTakeFirst();
      if (written) return { state: 'new' };
      const row = await this.db
        .selectFrom('idempotency_keys')
        .select(['fingerprint', 'status', 'content_type', 'location', 'body'])
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) continue;
      if (row.status === null) return { state: 'pending', fingerprint: row.fingerprint };
      const response = { status: Number(row.status), contentType: row.content_type ?? '', location: row.location, body: row.body ?? '' };
      return { state: 'done', fingerprint: row.fingerprint, response };
    }
    return { state: 'pending', fingerprint };
  }

  async complete(userId: string, key: string, response: StoredResponse): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status: response.status, content_type: response.contentType, location: response.location, body: response.body })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .where('status', 'is', null)
      .execute();
  }

  async release(userId: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('status', 'is', null).execute();
  }
}
