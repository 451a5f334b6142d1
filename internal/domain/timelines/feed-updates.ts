import type { Clock } from '../shared/clock.js';
import { JOB_GRACE_MS } from './timeline-rules.js';
import type { TimelineJob, TimelineStore } from './timeline-store.js';

/** A job recorded before its write: `settle` says how the write went. */
export interface PendingUpdate {
  /** `changed`: the write happened (the job is ready to run); else it is dropped. */
  settle(changed: boolean): Promise<void>;
}

/**
 * How a write (a post, a follow, an unfollow) tells the timelines about itself, durably and
 * without doing their work in the request. The job is queued *before* the write, due only after
 * a grace period; once the write has committed, the writer tells the worker in memory that the
 * job is ready (`ready`, no write), and the worker claims it at once. If the process dies before
 * the worker runs it, or between the enqueue and the write, the job is still queued: it runs after
 * the grace period anyway and, since every job reads the current state rather than trusting the
 * event, it does the right thing whether the write committed or not.
 */
export class FeedUpdates {
  constructor(
    private readonly store: TimelineStore,
    private readonly clock: Clock,
    private readonly ready: (jobId: string) => void = () => {},
  ) {}

  async expect(job: TimelineJob): Promise<PendingUpdate> {
    const id = await this.store.enqueue(job, new Date(this.clock.now().getTime() + JOB_GRACE_MS));
    return {
      settle: async (changed) => {
        if (!changed) return this.store.complete([id]);
        this.ready(id);
      },
    };
  }
}
