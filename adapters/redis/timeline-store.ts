import type { ChainableCommander, Redis } from 'ioredis';
import { v7 } from 'uuid';
import type { IdRange, QueuedJob, TimelineEntry, TimelineJob, TimelineSlice, TimelineStore } from '../../internal/domain/timelines/timeline-store.js';
import type { TimelineKeys } from './keys.js';

/** A timeline member: ordered by post id, and it names the author for `removeAuthor`. */
const member = (entry: TimelineEntry) => `${entry.postId}:${entry.authorId}`;

const postIdOf = (member: string) => member.slice(0, member.indexOf(':'));

/** A queued job's stored form. */
interface JobData {
  job: TimelineJob;
  /** ms since the epoch */
  enqueuedAt: number;
}

/** Runs a pipeline (one round trip) and throws the first command's error, if any. */
async function run(pipeline: ChainableCommander): Promise<void> {
  for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err;
}

/**
 * The timelines in Redis (see keys.ts for the layout, scripts.ts for the Lua behind each
 * change). Every method is one round trip: a command, a script, a MULTI or a pipeline.
 *
 * Durability: the job queue is as durable as the server's persistence. With the append-only
 * file and `appendfsync everysec` (docker-compose.yml, test/services/redis.sh) a crash of the
 * Redis process loses nothing acknowledged, and a crash of its machine up to about a second
 * of writes; without persistence a restart loses every queued job (and every timeline, which
 * is then rebuilt on its reader's next read).
 */
export class RedisTimelineStore implements TimelineStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: TimelineKeys,
  ) {}

  async read(readerId: string, range: IdRange, limit: number): Promise<TimelineSlice | null> {
    const max = range.idBefore === undefined ? '+' : `(${range.idBefore}`;
    const min = range.idFrom === undefined ? '-' : `[${range.idFrom}`;
    const reply = await this.redis.timelineRead(...this.keys.timeline(readerId), max, min, Math.max(0, limit));
    if (!reply) return null;
    const [ready, floor, celebrities, members] = reply;
    return { ready: ready === '1', floor: floor || null, celebrities, postIds: members.map(postIdOf) };
  }

  async open(readerId: string, now: Date, staleBefore: Date): Promise<boolean> {
    return (await this.redis.timelineOpen(...this.keys.timeline(readerId), now.getTime(), staleBefore.getTime())) === 1;
  }

  async fill(readerId: string, entries: readonly TimelineEntry[], floor: string | null, celebrities: readonly string[], cap: number): Promise<void> {
    await this.redis.timelineFill(...this.keys.timeline(readerId), floor ?? '', cap, celebrities.length, ...celebrities, ...entries.map(member));
  }

  /** One script call per reader (each atomic on its own keys), all in one pipeline. */
  async fanOut(entry: TimelineEntry, readerIds: readonly string[], cap: number): Promise<void> {
    if (readerIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const readerId of readerIds) pipeline.timelineAdd(this.keys.meta(readerId), this.keys.entries(readerId), cap, member(entry));
    await run(pipeline);
  }

  async backfill(readerId: string, entries: readonly TimelineEntry[], cap: number): Promise<void> {
    await this.redis.timelineAdd(this.keys.meta(readerId), this.keys.entries(readerId), cap, ...entries.map(member));
  }

  async removeAuthor(readerId: string, authorId: string): Promise<void> {
    await this.redis.timelineRemoveAuthor(this.keys.entries(readerId), `:${authorId}`);
  }

  async setCelebrity(readerId: string, authorId: string, celebrity: boolean): Promise<void> {
    if (celebrity) await this.redis.timelineAddCelebrity(this.keys.meta(readerId), this.keys.celebrities(readerId), authorId);
    else await this.redis.srem(this.keys.celebrities(readerId), authorId);
  }

  async drop(readerId: string): Promise<void> {
    await this.redis.del(...this.keys.timeline(readerId));
  }

  async isCelebrity(authorId: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.registry, authorId)) === 1;
  }

  celebrities(): Promise<string[]> {
    return this.redis.smembers(this.keys.registry);
  }

  async markCelebrity(authorId: string, celebrity: boolean): Promise<void> {
    if (celebrity) await this.redis.sadd(this.keys.registry, authorId);
    else await this.redis.srem(this.keys.registry, authorId);
  }

  /** The job and its due time in one MULTI: a job is never queued without its data. */
  async enqueue(job: TimelineJob, runAt: Date): Promise<string> {
    const id = v7();
    const data: JobData = { job, enqueuedAt: Date.now() };
    await run(this.redis.multi().hset(this.keys.jobs, id, JSON.stringify(data)).zadd(this.keys.due, runAt.getTime(), id));
    return id;
  }

  /** XX: a completed job stays completed. */
  async reschedule(jobId: string, runAt: Date): Promise<void> {
    await this.redis.zadd(this.keys.due, 'XX', runAt.getTime(), jobId);
  }

  /** One script (see CLAIM in scripts.ts). */
  async claim(now: Date, leaseMs: number, limit: number, ready: readonly string[] = []): Promise<QueuedJob[]> {
    if (limit <= 0) return [];
    const claimed = await this.redis.jobsClaim(this.keys.due, this.keys.jobs, this.keys.attempts, now.getTime(), now.getTime() + leaseMs, limit, ...ready);
    return claimed.map(([id, json, attempts]) => {
      const { job, enqueuedAt } = JSON.parse(json) as JobData;
      return { id, job, enqueuedAt: new Date(enqueuedAt), attempts };
    });
  }

  /** One MULTI for them all. */
  async complete(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await run(this.redis.multi().zrem(this.keys.due, ...jobIds).hdel(this.keys.jobs, ...jobIds).hdel(this.keys.attempts, ...jobIds));
  }

  pendingJobs(): Promise<number> {
    return this.redis.zcard(this.keys.due);
  }
}
