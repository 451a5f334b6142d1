/**
 * The key names of the timelines, each under the store's prefix (REDIS_KEY_PREFIX: one prefix
 * per app, or per test database on a shared server).
 *
 * The keys of one reader share the hash tag `{readerId}`, and the job queue's keys the tag
 * `{jobs}`: every script call touches keys of a single tag, so the layout would work on Redis
 * Cluster (hash slots follow the tag) even though this store connects to one server.
 */
export class TimelineKeys {
  constructor(private readonly prefix: string) {}

  /** Hash: ready ('0' while it is built, '1'), floor (absent: none), openedAt (ms). */
  meta(readerId: string): string {
    return `${this.prefix}timeline:{${readerId}}`;
  }

  /** Sorted set, every score 0, members `<postId>:<authorId>`. */
  entries(readerId: string): string {
    return `${this.meta(readerId)}:entries`;
  }

  /** Set: the reader's celebrity followees. */
  celebrities(readerId: string): string {
    return `${this.meta(readerId)}:celebrities`;
  }

  /** The three keys of one reader's timeline, as the scripts take them. */
  timeline(readerId: string): [meta: string, entries: string, celebrities: string] {
    return [this.meta(readerId), this.entries(readerId), this.celebrities(readerId)];
  }

  /** Set: the registry of celebrities. */
  get registry(): string {
    return `${this.prefix}celebrities`;
  }

  /** Sorted set: job id by due time (ms). */
  get due(): string {
    return `${this.prefix}{jobs}:due`;
  }

  /** Hash: job id → JSON of the job and when it was queued. */
  get jobs(): string {
    return `${this.prefix}{jobs}:data`;
  }

  /** Hash: job id → how many times it was claimed. */
  get attempts(): string {
    return `${this.prefix}{jobs}:attempts`;
  }
}
