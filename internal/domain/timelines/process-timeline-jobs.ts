import type { FollowRepository } from '../follows/follow-repository.js';
import type { PostRepository } from '../posts/post-repository.js';
import type { Clock } from '../shared/clock.js';
import { FOLLOWER_PAGE, JOB_LEASE_MS, MISSING_POST_GIVE_UP_MS, type TimelineRules } from './timeline-rules.js';
import { BuildTimeline } from './build-timeline.js';
import type { QueuedJob, TimelineStore } from './timeline-store.js';

/** Retry delays after a failure, by attempt (the last repeats). */
const BACKOFF_MS = [1_000, 5_000, 30_000, 120_000];

/**
 * The worker's step: claims due jobs and brings the timelines in line with the current state of
 * follows and posts. Jobs read that state rather than trusting what the event said, so running
 * one twice, late, or out of order with another leaves the same timelines.
 *
 * - `post`: adds the post to the timeline of each follower of its author that has one, unless the
 *   registry counts the author as a celebrity (their posts are merged in at read time).
 * - `build` (queued by a reader's first read): see BuildTimeline.
 * - `follow` (sent by follow and unfollow alike): backfills the followee's newest posts into the
 *   follower's timeline, or removes them, or records the followee among its celebrities; then, when
 *   the followee's followers counter has crossed the threshold, updates the registry and does the
 *   same for every follower of the followee.
 */
export class ProcessTimelineJobs {
  constructor(
    private readonly store: TimelineStore,
    private readonly posts: PostRepository,
    private readonly follows: FollowRepository,
    private readonly clock: Clock,
    private readonly rules: TimelineRules,
    private readonly builder = new BuildTimeline(store, posts, follows, clock, rules),
  ) {}

  /**
   * Claims and runs up to `limit` due jobs, the `ready` ones (see TimelineStore.claim) first;
   * answers how many it claimed. Failures are retried later, with `onError` told.
   */
  async runOnce(limit: number, onError: (job: QueuedJob, err: unknown) => void = () => {}, ready: readonly string[] = []): Promise<number> {
    const jobs = await this.store.claim(this.clock.now(), JOB_LEASE_MS, limit, ready);
    const done: string[] = [];
    for (const queued of jobs) {
      try {
        const retryAt = await this.run(queued);
        if (retryAt) await this.store.reschedule(queued.id, retryAt);
        else done.push(queued.id);
      } catch (err) {
        onError(queued, err);
        const delay = BACKOFF_MS[Math.min(queued.attempts, BACKOFF_MS.length - 1)]!;
        await this.store.reschedule(queued.id, new Date(this.clock.now().getTime() + delay)).catch(() => {});
      }
    }
    // One write for the step's finished jobs. A crash (or a failure) before it only leaves them
    // leased: they run again when the lease ends, which changes nothing (jobs are idempotent).
    if (done.length > 0) await this.store.complete(done);
    return jobs.length;
  }

  /** Runs one job; answers when to run it again, or null when it is done. */
  private async run({ job, enqueuedAt }: QueuedJob): Promise<Date | null> {
    if (job.kind === 'follow') {
      await this.reconcileFollow(job.followerId, job.followeeId);
      return null;
    }
    if (job.kind === 'build') {
      await this.builder.execute(job.readerId);
      return null;
    }
    const now = this.clock.now();
    if (!(await this.posts.findById(job.postId))) {
      // Not written yet (the write is still in flight) or never (it failed): wait, then give up.
      return now.getTime() - enqueuedAt.getTime() > MISSING_POST_GIVE_UP_MS ? null : new Date(now.getTime() + 1_000);
    }
    if (await this.store.isCelebrity(job.authorId)) return null;
    await this.eachFollower(job.authorId, (readerIds) => this.store.fanOut({ postId: job.postId, authorId: job.authorId }, readerIds, this.rules.cap));
    return null;
  }

  private async reconcileFollow(followerId: string, followeeId: string): Promise<void> {
    const celebrity = await this.store.isCelebrity(followeeId);
    await this.reconcilePair(followerId, followeeId, celebrity);
    const { followers } = await this.follows.counts(followeeId);
    const shouldBe = followers > this.rules.celebrityThreshold;
    if (shouldBe === celebrity) return;
    await this.store.markCelebrity(followeeId, shouldBe);
    await this.eachFollower(followeeId, async (readerIds) => {
      for (const readerId of readerIds) await this.reconcilePair(readerId, followeeId, shouldBe);
    });
  }

  /** Makes one reader's timeline agree with whether they follow `authorId`, and how. */
  private async reconcilePair(readerId: string, authorId: string, celebrity: boolean): Promise<void> {
    if (!(await this.store.read(readerId, {}, 0))) return; // no timeline: the build will read the follows
    if (!(await this.follows.isFollowing(readerId, authorId))) {
      await this.store.removeAuthor(readerId, authorId);
      await this.store.setCelebrity(readerId, authorId, false);
      return;
    }
    if (celebrity) {
      await this.store.setCelebrity(readerId, authorId, true);
      return;
    }
    const recent = await this.posts.page({ authorIds: [authorId] }, { limit: this.rules.cap });
    await this.store.backfill(readerId, recent.items.map((v) => ({ postId: v.post.id, authorId })), this.rules.cap);
    await this.store.setCelebrity(readerId, authorId, false);
    // An unfollow that committed while this ran has its own job, which may have run already:
    // look again, so the backfill above cannot outlive it.
    if (!(await this.follows.isFollowing(readerId, authorId))) await this.store.removeAuthor(readerId, authorId);
  }

  private async eachFollower(authorId: string, visit: (readerIds: string[]) => Promise<void>): Promise<void> {
    let before: string | undefined;
    do {
      const page = await this.follows.followers(authorId, before ? { limit: FOLLOWER_PAGE, before } : { limit: FOLLOWER_PAGE });
      if (page.items.length > 0) await visit(page.items.map((f) => f.followerId));
      before = page.next ?? undefined;
    } while (before);
  }
}
