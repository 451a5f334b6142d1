import { randomInt } from 'node:crypto';
import { v7 } from 'uuid';
import type { IdGenerator } from '../../internal/domain/shared/id-generator.js';

/**
 * UUIDv7 ids that keep creation order within a process even inside one millisecond: the
 * first id of a millisecond starts its 32-bit counter (RFC 9562 §6.2, method 1) at a random
 * value below 2^30, and each further id of that millisecond adds one. Lists are "newest
 * first" by id, so two posts in the same millisecond must not come out in reverse.
 * An id for an earlier time than the last one (seeds, imports) is random within its
 * millisecond and leaves the counter alone.
 */
export class UuidV7IdGenerator implements IdGenerator {
  private msecs = -Infinity;
  private seq = 0;

  next(at: Date): string {
    const msecs = at.getTime();
    if (msecs > this.msecs) {
      this.msecs = msecs;
      this.seq = randomInt(2 ** 30);
    } else if (msecs === this.msecs) {
      this.seq += 1;
    } else {
      return v7({ msecs, seq: randomInt(2 ** 30) });
    }
    return v7({ msecs, seq: this.seq });
  }
}
