import type { Collection } from 'mongodb';
import { v7 } from 'uuid';
import type { QueuedJob, TimelineJob } from '../../internal/domain/timelines/timeline-store.js';
import { advance, backOff, newToken, versionId } from './chain.js';
import type { TimelineJobDoc } from './schema.js';

/** Due versions a claim reads per job it may take: parallel claims then find others than the first few. */
const CANDIDATES_PER_CLAIM = 4;

/** The version after `doc`, due at `runAt`. */
function successor(doc: TimelineJobDoc, runAt: Date, attempts: number): TimelineJobDoc {
  return { ...doc, _id: versionId(doc.job_id, doc.seq + 1), seq: doc.seq + 1, run_at: runAt, attempts };
}

/**
 * The timelines' durable job queue, with inserts and deletes only (no update: see chain.ts).
 * A job is a chain of versions; a claim advances the version it read as due to one due at the
 * end of the lease, so of racing claims exactly one takes it (the others' inserts are refused),
 * and a job whose worker died is due again when its lease ends. A reschedule advances the head
 * the same way, so it ends a lease and never races a claim into a lost change. A lower version
 * still in the collection (a step in flight, or one a crash left) never advances: its successor
 * exists.
 */
export class MongoJobQueue {
  constructor(private readonly jobs: Collection<TimelineJobDoc>) {}

  async enqueue(job: TimelineJob, runAt: Date): Promise<string> {
    const jobId = v7();
    await this.jobs.insertOne({ _id: versionId(jobId, 0), job_id: jobId, seq: 0, job, run_at: runAt, enqueued_at: new Date(), attempts: 0, t: newToken() });
    return jobId;
  }

  async reschedule(jobId: string, runAt: Date): Promise<void> {
    for (let lost = 0; ; ) {
      const head = await this.jobs.findOne({ job_id: jobId }, { sort: { seq: -1 } });
      if (!head || (await advance(this.jobs, head, successor(head, runAt, head.attempts)))) return;
      await backOff(++lost);
    }
  }

  /**
   * One read of the due versions, oldest due first, and (at the same time) one of the ready jobs'
   * versions never claimed; then batches of parallel advances, ready ones first, until `limit`
   * are won. A ready job's version read here that is no longer its head (it was claimed or
   * rescheduled meanwhile) loses its advance, as a stale due version does.
   */
  async claim(now: Date, leaseMs: number, limit: number, ready: readonly string[] = []): Promise<QueuedJob[]> {
    if (limit <= 0) return [];
    const [readyDocs, dueDocs] = await Promise.all([
      ready.length > 0 ? this.jobs.find({ job_id: { $in: [...ready] }, attempts: 0 }).sort({ run_at: 1, _id: 1 }).toArray() : Promise.resolve([] as TimelineJobDoc[]),
      this.jobs
        .find({ run_at: { $lte: now } })
        .sort({ run_at: 1, _id: 1 })
        .limit(limit * CANDIDATES_PER_CLAIM)
        .toArray(),
    ]);
    const seen = new Set(readyDocs.map((d) => d._id));
    const candidates = [...readyDocs, ...dueDocs.filter((d) => !seen.has(d._id))];
    const leaseEnd = new Date(now.getTime() + leaseMs);
    const won: TimelineJobDoc[] = [];
    for (let i = 0; i < candidates.length && won.length < limit; ) {
      const batch = candidates.slice(i, i + limit - won.length);
      i += batch.length;
      const taken = await Promise.all(batch.map((doc) => advance(this.jobs, doc, successor(doc, leaseEnd, doc.attempts + 1))));
      won.push(...batch.filter((_, k) => taken[k]));
    }
    return won.map((d) => ({ id: d.job_id, job: d.job, enqueuedAt: d.enqueued_at, attempts: d.attempts }));
  }

  /** One delete of every version of them all. */
  async complete(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.jobs.deleteMany({ job_id: { $in: [...jobIds] } });
  }

  async pending(): Promise<number> {
    return (await this.jobs.distinct('job_id')).length;
  }
}
