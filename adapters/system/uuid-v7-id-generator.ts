import { randomInt } from 'node:crypto';
import { v7 } from 'uuid';
import type { IdGenerator } from '../../internal/domain/shared/id-generator.js';

/** How many distinct milliseconds keep their counters; the oldest is forgotten first. */
const REMEMBERED_MILLISECONDS = 256;

/**
 * UUIDv7 ids that keep creation order within a process even inside one millisecond: the
 * first id of a millisecond starts its 32-bit counter (RFC 9562 §6.2, method 1) at a random
 * value below 2^30, and each further id of that millisecond adds one. Lists are "newest
 * first" by id, so two posts in the same millisecond must not come out in reverse.
 *
 * Each of the last 256 milliseconds ids were made for keeps its own counter, so ids made for
 * other times in between (a seed's or an import's past, a test's future, a clock stepped back)
 * leave the order within the present millisecond alone. A millisecond returned to after 256
 * others starts a new random counter.
 */
export class UuidV7IdGenerator implements IdGenerator {
  private readonly counters = new Map<number, number>();

  next(at: Date): string {
    const msecs = at.getTime();
    const last = this.counters.get(msecs);
    const seq = last === undefined ? randomInt(2 ** 30) : last + 1;
    if (last === undefined && this.counters.size >= REMEMBERED_MILLISECONDS) this.counters.delete(this.counters.keys().next().value!);
    this.counters.set(msecs, seq);
    return v7({ msecs, seq });
  }
}
