import type { Clock } from '../shared/clock.js';
import { JOB_GRACE_MS } from './timeline-rules.js';
import type { TimelineJob, TimelineStore } from './timeline-store.js';

/** A job recorded before its write: `settle` says how the write went. */
export interface PendingUpdate {
  /** `changed`: the write happened (the job runs now); else it is dropped. */
  settle(changed: boolean): Promise<void>;
}

/**
 * How a write (a post, a follow, an unfollow) tells the timelines about itself, durably and
 * without doing their work in the request. The job is queued *before* the write, due only after
 * a grace period; once the write has committed it is made due at once and the worker is woken.
 * A crash between the two leaves the job queued: it runs after the grace period and, since every
 * job reads the current state rather than trusting the event, it does the right thing whether
 * the write committed or not.
 */
export class FeedUpdates {
  constructor(
    private readonly store: TimelineStore,
    private readonly clock: Clock,
    private readonly wake: () => void = () => {},
  ) {}

  async expect(job: TimelineJob): Promise<PendingUpdate> {
    const id = await this.store.enqueue(job, new Date(this.clock.now().getTime() + JOB_GRACE_MS));
    return {
      settle: async (changed) => {
        if (!changed) return this.store.complete(id);
        await this.store.reschedule(id, this.clock.now());
        this.wake();
      },
    };
  }
}
