import type { ProcessTimelineJobs } from '../domain/timelines/process-timeline-jobs.js';
import type { QueuedJob } from '../domain/timelines/timeline-store.js';

export interface WorkerLog {
  error(details: object, message: string): void;
}

/** Jobs claimed per step. */
const BATCH = 50;

/**
 * Runs the timeline jobs in the background of the server process: woken at once by each write
 * that queues one, and every `pollMs` anyway (for jobs queued by another instance, retries, and
 * jobs left by a crash). One step at a time per process; several processes share the queue
 * through the store's leases.
 */
export class TimelineWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

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
    await this.running;
  }

  /** Runs a step now (or right after the one under way). */
  wake = (): void => {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  };

  /** Runs steps until no job is due (tests: wait for the timelines to catch up). */
  async drain(): Promise<void> {
    await this.running;
    while ((await this.step()) > 0);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      while (!this.stopped && (await this.step()) === BATCH);
    } while (this.again && !this.stopped);
  }

  private async step(): Promise<number> {
    try {
      return await this.jobs.runOnce(BATCH, (queued: QueuedJob, err: unknown) => this.log.error({ err, job: queued.job, attempts: queued.attempts }, 'timeline job failed; retrying later'));
    } catch (err) {
      this.log.error({ err }, 'claiming timeline jobs failed; retrying at the next poll');
      return 0;
    }
  }
}
