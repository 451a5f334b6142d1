import type { Driver } from 'neo4j-driver';
import type { Claim, IdempotencyRepository, StoredResponse } from '../../internal/domain/shared/idempotency.js';
import { int, str, strOrNull, toNumber, type Props } from './records.js';

/**
 * The node's one key: user and key in an unambiguous form (a composite node key constraint is
 * Enterprise-only; Community enforces uniqueness of a single property).
 */
function nodeId(userId: string, key: string): string {
  return JSON.stringify([userId, key]);
}

/**
 * One transaction: MERGE on the uniquely constrained id (concurrent MERGEs of one id wait for
 * each other, and only one creates), then the dummy SET takes the node's write lock before its
 * expiry is read, so concurrent claims of an expired record queue and only the first replaces it.
 */
const CLAIM = `
  MERGE (k:IdempotencyKey {id: $id})
  ON CREATE SET k += $fresh, k._created = true
  ON MATCH SET k._created = false
  WITH k, k._created OR k.expires_at <= $fresh.created_at AS claimed
  FOREACH (_ IN CASE WHEN claimed THEN [1] ELSE [] END |
    SET k += $fresh, k.status = null, k.content_type = null, k.location = null, k.body = null)
  REMOVE k._created
  RETURN claimed, k {.*} AS k`;

/** Records are (:IdempotencyKey {id, user_id, key, fingerprint, created_at, expires_at, status?, ...}); pending while `status` is absent. */
export class Neo4jIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly driver: Driver) {}

  async claim(userId: string, key: string, fingerprint: string, now: Date, expiresAt: Date): Promise<Claim> {
    const fresh = { user_id: userId, key, fingerprint, created_at: now.toISOString(), expires_at: expiresAt.toISOString() };
    const { records } = await this.driver.executeQuery(CLAIM, { id: nodeId(userId, key), fresh });
    const record = records[0]!;
    if (record.get('claimed') === true) return { state: 'new' };
    const k = record.get('k') as Props;
    if (k.status === null || k.status === undefined) return { state: 'pending', fingerprint: str(k, 'fingerprint') };
    const response = { status: toNumber(k.status), contentType: str(k, 'content_type'), location: strOrNull(k, 'location'), body: str(k, 'body') };
    return { state: 'done', fingerprint: str(k, 'fingerprint'), response };
  }

  async complete(userId: string, key: string, response: StoredResponse): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (k:IdempotencyKey {id: $id}) WHERE k.status IS NULL
       SET k.status = $status, k.content_type = $contentType, k.location = $location, k.body = $body`,
      { id: nodeId(userId, key), status: int(response.status), contentType: response.contentType, location: response.location, body: response.body },
    );
  }

  async release(userId: string, key: string): Promise<void> {
    await this.driver.executeQuery('MATCH (k:IdempotencyKey {id: $id}) WHERE k.status IS NULL DELETE k', { id: nodeId(userId, key) });
  }
}
