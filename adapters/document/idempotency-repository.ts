import type { Collection } from 'mongodb';
import type { Claim, IdempotencyRepository, StoredResponse } from '../../internal/domain/shared/idempotency.js';
import { isDuplicateKey } from './errors.js';

/**
 * One generation of a (user, key) record: `_id` is `["<user>","<key>"]#<gen>`. Generation 0 is
 * the first claim; generation n+1 is claimed only once n has expired, so the live record (if
 * any) is always the last one, and every earlier one has expired.
 */
export interface IdempotencyDoc {
  _id: string;
  user_id: string;
  key: string;
  gen: number;
  fingerprint: string;
  created_at: Date;
  expires_at: Date;
  /** Null while the claim is pending. */
  response: { status: number; content_type: string; location: string | null; body: string } | null;
}

/**
 * A generation released between a refused insert and the read of what refused it: the insert
 * runs again, this many times at most, then the claim answers `pending` (the key is busy).
 */
const CLAIM_ATTEMPTS = 5;

function recordId(userId: string, key: string, gen: number): string {
  return `${JSON.stringify([userId, key])}#${gen}`;
}

function claimOf(doc: IdempotencyDoc): Claim {
  const { fingerprint, response } = doc;
  if (!response) return { state: 'pending', fingerprint };
  const stored = { status: response.status, contentType: response.content_type, location: response.location, body: response.body };
  return { state: 'done', fingerprint, response: stored };
}

/**
 * Every claim is an insert under the unique `_id`, which MongoDB and FerretDB v1 both decide
 * atomically; no transaction, no conditional update or delete decides anything. That matters
 * on FerretDB v1 (`transactions` and `isolatedUpdates` false): its delete and update read the
 * matching documents, then write by `_id` in a separate transaction, so "delete the expired
 * record, then insert" could delete a fresh record another claim had just inserted under the
 * same `_id`. Instead an expired record is never replaced: the next claim inserts the next
 * generation (`_id` …#n+1), and of concurrent claims only one insert of it succeeds. A
 * generation is written or deleted afterwards only by the request that claimed it (complete,
 * release), which no other claim can race. Every query is an `_id` equality, the only filter
 * FerretDB v1 runs on an index.
 *
 * A key reused day after day grows one generation per reuse (each claim reads past the expired
 * ones); clients send a fresh key per operation, so there is almost always one.
 */
export class MongoIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly records: Collection<IdempotencyDoc>) {}

  async claim(userId: string, key: string, fingerprint: string, now: Date, expiresAt: Date): Promise<Claim> {
    let gen = 0;
    for (let misses = 0; misses < CLAIM_ATTEMPTS; ) {
      const _id = recordId(userId, key, gen);
      try {
        await this.records.insertOne({ _id, user_id: userId, key, gen, fingerprint, created_at: now, expires_at: expiresAt, response: null });
        return { state: 'new' };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const found = await this.records.findOne({ _id });
      if (!found) misses++;
      else if (found.expires_at.getTime() > now.getTime()) return claimOf(found);
      else gen++;
    }
    return { state: 'pending', fingerprint };
  }

  async complete(userId: string, key: string, response: StoredResponse): Promise<void> {
    const last = await this.last(userId, key);
    if (!last || last.response) return;
    const { status, contentType: content_type, location, body } = response;
    await this.records.updateOne({ _id: last._id }, { $set: { response: { status, content_type, location, body } } });
  }

  async release(userId: string, key: string): Promise<void> {
    const last = await this.last(userId, key);
    if (last && !last.response) await this.records.deleteOne({ _id: last._id });
  }

  /** The last generation: the one a claim made and its request completes or releases. */
  private async last(userId: string, key: string): Promise<IdempotencyDoc | null> {
    let last: IdempotencyDoc | null = null;
    for (let gen = 0; ; gen++) {
      const found = await this.records.findOne({ _id: recordId(userId, key, gen) });
      if (!found) return last;
      last = found;
    }
  }
}
