import type { ProcessTimelineJobs } from '../domain/timelines/process-timeline-jobs.js';
import type { QueuedJob } from '../domain/timelines/timeline-store.js';

export interface WorkerLog {
  error(details: object, message: string): void;
}

/** Jobs claimed per step. */
const BATCH = 50;

/**
 * A woken worker waits this long before its step, so the jobs of writes arriving meanwhile share
 * the step's claim and completion: each is a durable write (an fsync on SQLite), paid once per
 * step rather than once per job. Under a burst of posts this halves the writes per post; a
 * follower's timeline gets the post this much later.
 */
const GATHER_MS = 10;

/** Ready job ids remembered at most: beyond that a write's job waits for its grace period. */
const MAX_READY = 10_000;

/**
 * Runs the timeline jobs in the background of the server process: woken at once by each write
 * that queues one, and every `pollMs` anyway (for jobs queued by another instance, retries, and
 * jobs left by a crash). A write whose job is ready (its write committed, see FeedUpdates) names
 * it: the worker remembers the id, in memory only, and its next step claims the job without
 * waiting for its grace period. One step at a time per process; several processes share the
 * queue through the store's leases.
 */
export class TimelineWorker {
  private timer: NodeJS.Timeout | undefined;
  /** The step a wake has scheduled (see GATHER_MS), not started yet. */
  private gathering: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  /** Jobs named ready and not claimed yet, oldest first. */
  private readonly ready = new Set<string>();

  constructor(
    private readonly jobs: ProcessTimelineJobs,
    private readonly pollMs: number,
    private readonly log: WorkerLog,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Stops polling and waits for the step under way (its jobs are done or left leased). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.gathering);
    this.gathering = undefined;
    await this.running;
  }

  /**
   * Runs a step GATHER_MS from now (or right after the one under way); `readyJobId` names a job
   * that step may claim before its due time. A stopped worker remembers it too, for `drain`.
   */
  wake = (readyJobId?: string): void => {
    if (readyJobId !== undefined && this.ready.size < MAX_READY) this.ready.add(readyJobId);
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.gathering) return;
    this.gathering = setTimeout(() => {
      this.gathering = undefined;
      if (this.stopped || this.running) return;
      this.running = this.loop().finally(() => {
        this.running = undefined;
      });
    }, GATHER_MS);
    this.gathering.unref();
  };

  /** Runs steps until no job is due or ready (tests: wait for the timelines to catch up). */
  async drain(): Promise<void> {
    await this.running;
    while ((await this.step()) > 0 || this.ready.size > 0);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      while (!this.stopped && ((await this.step()) === BATCH || this.ready.size > 0));
    } while (this.again && !this.stopped);
  }

  private async step(): Promise<number> {
    const ready = this.takeReady();
    try {
      return await this.jobs.runOnce(
        BATCH,
        (queued: QueuedJob, err: unknown) => this.log.error({ err, job: queued.job, attempts: queued.attempts }, 'timeline job failed; retrying later'),
        ready,
      );
    } catch (err) {
      // The ready ids taken are not put back: their jobs run after their grace period.
      this.log.error({ err }, 'claiming or completing timeline jobs failed; retrying at the next poll');
      return 0;
    }
  }

  /** Up to BATCH of the remembered ready ids, oldest first, forgotten here. */
  private takeReady(): string[] {
    const taken: string[] = [];
    for (const id of this.ready) {
      if (taken.length === BATCH) break;
      taken.push(id);
      this.ready.delete(id);
    }
    return taken;
  }
}
