/**
 * Idempotency keys: a client names a request that creates something (`Idempotency-Key`), so a
 * retry of it gets the first answer instead of a second effect. A record is per user and key,
 * and lives 24 hours from its claim; an expired record counts as absent.
 */

/** How long a key is remembered from its claim. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The answer a claimed request gave, stored to be replayed. */
export interface StoredResponse {
  status: number;
  contentType: string;
  location: string | null;
  body: string;
}

/**
 * What a claim found. `new`: the caller now holds the key and must `complete` or `release` it;
 * `pending`: another request holds it; `done`: it was answered (`fingerprint` says what was asked).
 */
export type Claim =
  | { state: 'new' }
  | { state: 'pending'; fingerprint: string }
  | { state: 'done'; fingerprint: string; response: StoredResponse };

/**
 * The store of idempotency records. Any user id or key is accepted (an unknown or malformed user
 * id is simply a user with no records): no method throws for one.
 */
export interface IdempotencyRepository {
  /**
   * Atomically: when (userId, key) has no record, or only an expired one (`expires_at <= now`),
   * stores a pending record with `fingerprint` and answers `new`; otherwise answers what is there.
   * Of any number of concurrent claims of one key, exactly one answers `new`.
   */
  claim(userId: string, key: string, fingerprint: string, now: Date, expiresAt: Date): Promise<Claim>;
  /** Stores the answer of the pending record the caller claimed (a completed record is left alone). */
  complete(userId: string, key: string, response: StoredResponse): Promise<void>;
  /** Deletes the pending record the caller claimed, so a retry runs again (a completed record is left alone). */
  release(userId: string, key: string): Promise<void>;
}
