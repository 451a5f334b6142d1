import { randomUUID } from 'node:crypto';
import type { Driver } from 'neo4j-driver';
import type { IdRange, QueuedJob, TimelineEntry, TimelineJob, TimelineSlice, TimelineStore } from '../../internal/domain/timelines/timeline-store.js';
import { int, str, toNumber, where, type Props } from './records.js';

/**
 * Locks the timeline `t`, so every write to one timeline runs after the last one committed and
 * reads its count, floor and entries fresh; a timeline dropped meanwhile reads as gone. A SET
 * whose value reads the property it writes makes Cypher lock the node before reading; not a bare
 * `SET t.entries = t.entries`, which reads first (and writes back a stale value).
 */
const LOCK = 'SET t.entries = t.entries + 0 WITH t WHERE t.entries IS NOT NULL';

/**
 * After a write statement's locked timelines `t`: adds `$entries` ({post_id, author_id}) above
 * each one's floor and not there yet, counting them in `t.entries`; then deletes the oldest of
 * each timeline over `$cap` and raises its floor to the newest deleted. A call that adds N
 * entries finds at most N too many (the timeline held at most `$cap`), so it reads no more
 * than the N oldest (`$room`), seeking the (reader, post_id) index.
 */
const ADD_AND_TRIM = `
  UNWIND $entries AS entry
  WITH t, entry WHERE t.floor IS NULL OR entry.post_id > t.floor
  MERGE (e:TimelineEntry {reader: t.reader, post_id: entry.post_id})
  ON CREATE SET e.author_id = entry.author_id, t.entries = t.entries + 1
  WITH DISTINCT t WHERE t.entries > $cap
  WITH t, COLLECT {
    MATCH (e:TimelineEntry) WHERE e.reader = t.reader AND e.post_id > ''
    WITH e ORDER BY e.reader, e.post_id LIMIT $room RETURN e
  }[..(t.entries - $cap)] AS gone
  WITH t, gone, last(gone).post_id AS newest
  FOREACH (e IN gone | DELETE e)
  SET t.entries = t.entries - size(gone), t.floor = CASE WHEN t.floor IS NULL OR newest > t.floor THEN newest ELSE t.floor END`;

function entryRows(entries: readonly TimelineEntry[]): Props[] {
  return entries.map((e) => ({ post_id: e.postId, author_id: e.authorId }));
}

/**
 * The `timelines` module in the graph. A reader's timeline is a (:Timeline {reader, ready,
 * floor, opened_at, entries, celebrities, build}) node, `entries` counting its
 * (:TimelineEntry {reader, post_id, author_id}) nodes, which the (reader, post_id) index keeps
 * in order per reader: a read or a trim seeks it, with no relationship to walk, and stops after
 * the entries it wants (the planner takes the index's order only when ORDER BY names both
 * properties, hence `ORDER BY e.reader, e.post_id` though the reader is fixed). Writes to one
 * timeline lock its node first (LOCK), which also keeps its entries unique; a fan-out locks its
 * readers in id order, so parallel ones never deadlock. The registry is (:Celebrity {id}) nodes;
 * the queue is (:TimelineJob {id, job, run_at, enqueued_at, attempts}) nodes on a run_at index.
 * Times are ISO strings, which compare in time order.
 */
export class Neo4jTimelineStore implements TimelineStore {
  constructor(private readonly driver: Driver) {}

  /** One query: the timeline's state and, by a COLLECT subquery on the index, its page of ids. */
  async read(readerId: string, range: IdRange, limit: number): Promise<TimelineSlice | null> {
    const bounds = where('e.reader = t.reader', range.idFrom && 'e.post_id >= $from', range.idBefore && 'e.post_id < $before', "e.post_id > coalesce(t.floor, '')");
    const { records } = await this.driver.executeQuery(
      `MATCH (t:Timeline {reader: $reader})
       RETURN t.ready AS ready, t.floor AS floor, t.celebrities AS celebrities,
         COLLECT { MATCH (e:TimelineEntry) ${bounds} WITH e ORDER BY e.reader DESC, e.post_id DESC LIMIT $limit RETURN e.post_id } AS postIds`,
      { reader: readerId, from: range.idFrom ?? null, before: range.idBefore ?? null, limit: int(limit) },
      { routing: 'READ' },
    );
    const row = records[0];
    if (!row) return null;
    return {
      ready: row.get('ready') === true,
      floor: (row.get('floor') as string | null) ?? null,
      celebrities: row.get('celebrities') as string[],
      postIds: row.get('postIds') as string[],
    };
  }

  /**
   * MERGE on the unique reader creates one timeline however many open it at once; the conditional
   * SET (which locks it) then hands the build to this call only when it created it or the build
   * there went stale, marking it with this call's build token.
   */
  async open(readerId: string, now: Date, staleBefore: Date): Promise<boolean> {
    const { records } = await this.driver.executeQuery(
      `MERGE (t:Timeline {reader: $reader})
       ON CREATE SET t.build = $build
       SET t.build = CASE WHEN t.ready = false AND t.opened_at < $staleBefore THEN $build ELSE t.build END
       WITH t WHERE t.build = $build
       SET t.ready = false, t.floor = null, t.opened_at = $now, t.entries = 0, t.celebrities = []
       WITH t
       CALL { WITH t MATCH (e:TimelineEntry {reader: t.reader}) DELETE e }
       RETURN true AS opened`,
      { reader: readerId, build: randomUUID(), now: now.toISOString(), staleBefore: staleBefore.toISOString() },
    );
    return records.length > 0;
  }

  /** The floor only rises: a trim during the build may have raised it above the one given. */
  async fill(readerId: string, entries: readonly TimelineEntry[], floor: string | null, celebrities: readonly string[], cap: number): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (t:Timeline {reader: $reader})
       ${LOCK}
       SET t.ready = true, t.celebrities = $celebrities, t.floor = CASE WHEN t.floor IS NULL OR t.floor < $floor THEN $floor ELSE t.floor END
       WITH t
       CALL {
         WITH t
         MATCH (e:TimelineEntry) WHERE e.reader = t.reader AND e.post_id <= t.floor
         DELETE e
         RETURN count(e) AS below
       }
       SET t.entries = t.entries - below
       WITH t
       ${ADD_AND_TRIM}`,
      { reader: readerId, floor, celebrities: [...celebrities], entries: entryRows(entries), cap: int(cap), room: int(entries.length) },
    );
  }

  async fanOut(entry: TimelineEntry, readerIds: readonly string[], cap: number): Promise<void> {
    if (readerIds.length === 0) return;
    await this.driver.executeQuery(
      `UNWIND $readers AS reader
       MATCH (t:Timeline {reader: reader})
       ${LOCK}
       ${ADD_AND_TRIM}`,
      { readers: [...new Set(readerIds)].sort(), entries: entryRows([entry]), cap: int(cap), room: int(1) },
    );
  }

  async backfill(readerId: string, entries: readonly TimelineEntry[], cap: number): Promise<void> {
    if (entries.length === 0) return;
    await this.driver.executeQuery(
      `MATCH (t:Timeline {reader: $reader})
       ${LOCK}
       ${ADD_AND_TRIM}`,
      { reader: readerId, entries: entryRows(entries), cap: int(cap), room: int(entries.length) },
    );
  }

  async removeAuthor(readerId: string, authorId: string): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (t:Timeline {reader: $reader})
       ${LOCK}
       CALL {
         WITH t
         MATCH (e:TimelineEntry) WHERE e.reader = t.reader AND e.post_id > '' AND e.author_id = $author
         DELETE e
         RETURN count(e) AS removed
       }
       SET t.entries = t.entries - removed`,
      { reader: readerId, author: authorId },
    );
  }

  async setCelebrity(readerId: string, authorId: string, celebrity: boolean): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (t:Timeline {reader: $reader})
       SET t.celebrities = [c IN t.celebrities WHERE c <> $author] + CASE WHEN $celebrity THEN [$author] ELSE [] END`,
      { reader: readerId, author: authorId, celebrity },
    );
  }

  async drop(readerId: string): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (t:Timeline {reader: $reader})
       ${LOCK}
       CALL { WITH t MATCH (e:TimelineEntry {reader: t.reader}) DELETE e }
       DELETE t`,
      { reader: readerId },
    );
  }

  async isCelebrity(authorId: string): Promise<boolean> {
    const { records } = await this.driver.executeQuery('RETURN EXISTS { (:Celebrity {id: $id}) } AS yes', { id: authorId }, { routing: 'READ' });
    return records[0]?.get('yes') === true;
  }

  async celebrities(): Promise<string[]> {
    const { records } = await this.driver.executeQuery('MATCH (c:Celebrity) RETURN c.id AS id', {}, { routing: 'READ' });
    return records.map((r) => String(r.get('id')));
  }

  async markCelebrity(authorId: string, celebrity: boolean): Promise<void> {
    await this.driver.executeQuery(celebrity ? 'MERGE (:Celebrity {id: $id})' : 'MATCH (c:Celebrity {id: $id}) DELETE c', { id: authorId });
  }

  async enqueue(job: TimelineJob, runAt: Date): Promise<string> {
    const id = randomUUID();
    await this.driver.executeQuery(
      'CREATE (:TimelineJob {id: $id, job: $job, run_at: $runAt, enqueued_at: $now, attempts: 0})',
      { id, job: JSON.stringify(job), runAt: runAt.toISOString(), now: new Date().toISOString() },
    );
    return id;
  }

  async reschedule(jobId: string, runAt: Date): Promise<void> {
    await this.driver.executeQuery('MATCH (j:TimelineJob {id: $id}) SET j.run_at = $runAt', { id: jobId, runAt: runAt.toISOString() });
  }

  /**
   * The ready jobs never claimed (on the id constraint's index), then the due jobs, oldest first
   * on the run_at index; each is locked (as LOCK does) and checked again, so a parallel claim
   * that took it first, and committed its lease, leaves it out of this one. Jobs are locked in
   * one order (due time, then id, ready or not), so claims never deadlock.
   */
  async claim(now: Date, leaseMs: number, limit: number, ready: readonly string[] = []): Promise<QueuedJob[]> {
    if (limit <= 0) return [];
    const at = now.toISOString();
    const { records } = await this.driver.executeQuery(
      `CALL {
         MATCH (j:TimelineJob) WHERE j.id IN $ready AND j.attempts = 0
         RETURN j, 0 AS tier
         UNION ALL
         MATCH (j:TimelineJob) WHERE j.run_at <= $now
         WITH j ORDER BY j.run_at, j.id LIMIT $limit
         RETURN j, 1 AS tier
       }
       WITH j, min(tier) AS tier
       WITH j, tier ORDER BY tier, j.run_at, j.id LIMIT $limit
       WITH j, tier ORDER BY j.run_at, j.id
       SET j.attempts = j.attempts + 0
       WITH j, tier, j.run_at AS due WHERE (tier = 0 AND j.attempts = 0) OR due <= $now
       SET j.run_at = $until, j.attempts = j.attempts + 1
       RETURN j {.id, .job, .enqueued_at, attempts: j.attempts - 1, due: due, tier: tier} AS claimed
       ORDER BY claimed.tier, claimed.due, claimed.id`,
      { now: at, until: new Date(now.getTime() + leaseMs).toISOString(), limit: int(limit), ready: [...ready] },
    );
    return records.map((r) => {
      const j = r.get('claimed') as Props;
      return { id: str(j, 'id'), job: JSON.parse(str(j, 'job')) as TimelineJob, enqueuedAt: new Date(str(j, 'enqueued_at')), attempts: toNumber(j.attempts) };
    });
  }

  /** One statement for them all. */
  async complete(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.driver.executeQuery('MATCH (j:TimelineJob) WHERE j.id IN $ids DELETE j', { ids: [...jobIds] });
  }

  /** The label's node count, which Neo4j keeps: constant time. */
  async pendingJobs(): Promise<number> {
    const { records } = await this.driver.executeQuery('MATCH (j:TimelineJob) RETURN count(j) AS n', {}, { routing: 'READ' });
    return toNumber(records[0]?.get('n'));
  }
}
