import type { PostView } from '../posts/post-views.js';

/** One post in a reader's home timeline. */
export interface TimelineEntry {
  postId: string;
  authorId: string;
}

/** Bounds on post ids, as a feed filter and a cursor give them. */
export interface IdRange {
  /** Only ids >= this. */
  idFrom?: string;
  /** Only ids < this. */
  idBefore?: string;
}

/** What one read of a reader's timeline answers, in one store call. */
export interface TimelineSlice {
  /** False while it is being built: the feed is then answered by the pull path. */
  ready: boolean;
  /**
   * The timeline holds every entry of its reader's followees (celebrities aside) with an id greater
   * than this; below it, it has been trimmed to its cap. Null: it holds every one of them.
   */
  floor: string | null;
  /** Followees above the celebrity threshold: their posts are merged in at read time. */
  celebrities: string[];
  /** Post ids in the range, newest first, all greater than `floor`, at most the limit asked. */
  postIds: string[];
}

/** A page of a following feed answered from a reader's timeline, with the slice's state (see TimelinePages). */
export interface TimelinePage {
  /** As TimelineSlice's. */
  ready: boolean;
  /** As TimelineSlice's. */
  floor: string | null;
  /** How many of the timeline's entries the range holds, at most the limit asked. */
  entries: number;
  /** The newest views, at most the limit asked, among those entries and the celebrities' posts in the range. */
  views: PostView[];
}

/** A session `TimelinePages.read` confirms with its page: the reader's, not logged out, not expired at `now`. */
export interface SessionCheck {
  sessionId: string;
  now: Date;
}

/** `TimelinePages.read`'s answer when the session it was given to confirm is not live. */
export const SESSION_NOT_LIVE = 'session-not-live';

/**
 * The read of a following page in one store call, by a store that holds both the timelines and
 * the posts: what `TimelineStore.read` and `PostRepository.newestAmong` answer together, the
 * views of the newest `limit` among the slice's entries and its celebrities' posts in `range`.
 * Null when the reader has no timeline.
 *
 * With `session` (asked only of a store that holds the users module's sessions as well), the
 * same call confirms the reader's session first: `SESSION_NOT_LIVE`, and no page, when it is
 * not live. So an authenticated page is one store call, not two.
 */
export interface TimelinePages {
  read(readerId: string, range: IdRange, limit: number, session?: SessionCheck): Promise<TimelinePage | null | typeof SESSION_NOT_LIVE>;
}

/** Work a write leaves for the timelines, done after the response and kept durably until it is. */
export type TimelineJob =
  | { kind: 'post'; postId: string; authorId: string }
  | { kind: 'follow'; followerId: string; followeeId: string }
  | { kind: 'build'; readerId: string };

export interface QueuedJob {
  id: string;
  job: TimelineJob;
  enqueuedAt: Date;
  /** How many times it was claimed before (0 the first time). */
  attempts: number;
}

/**
 * The `timelines` module's port: each active reader's home timeline (newest `cap` entries of the
 * accounts they follow, celebrities apart), the celebrity registry and the durable job queue that
 * keeps them up to date. Every write is idempotent: adding an entry twice, removing one that is
 * gone, completing a completed job change nothing. A reader id with no timeline is not an error:
 * writes to it do nothing (timelines exist only for readers who read, and are built on first read).
 */
export interface TimelineStore {
  /** Up to `limit` entries in `range` above the floor, newest first, with the timeline's state; null when the reader has none. */
  read(readerId: string, range: IdRange, limit: number): Promise<TimelineSlice | null>;
  /**
   * Starts building the reader's timeline: creates it empty and not ready, and answers true, when
   * the reader has none or a build started before `staleBefore` never finished; else false.
   */
  open(readerId: string, now: Date, staleBefore: Date): Promise<boolean>;
  /** Ends a build: adds `entries`, sets `floor` and `celebrities`, trims to `cap` and marks it ready. */
  fill(readerId: string, entries: readonly TimelineEntry[], floor: string | null, celebrities: readonly string[], cap: number): Promise<void>;
  /** Adds `entry` to the timeline of each of `readerIds` that has one (ready or being built), then trims each to `cap`. */
  fanOut(entry: TimelineEntry, readerIds: readonly string[], cap: number): Promise<void>;
  /** Adds entries to the reader's timeline, if it has one, then trims it to `cap`. */
  backfill(readerId: string, entries: readonly TimelineEntry[], cap: number): Promise<void>;
  /** Removes every entry by `authorId` from the reader's timeline. */
  removeAuthor(readerId: string, authorId: string): Promise<void>;
  /** Adds `authorId` to (or removes it from) the reader's celebrities, if the reader has a timeline. */
  setCelebrity(readerId: string, authorId: string, celebrity: boolean): Promise<void>;
  /** Deletes the reader's timeline (a failed build, a reset). */
  drop(readerId: string): Promise<void>;

  /** Whether the registry counts `authorId` as a celebrity (more followers than the threshold). */
  isCelebrity(authorId: string): Promise<boolean>;
  /** Every author the registry counts as a celebrity. */
  celebrities(): Promise<string[]>;
  markCelebrity(authorId: string, celebrity: boolean): Promise<void>;

  /** Queues `job`, due at `runAt`; answers its id. Durable once this resolves. */
  enqueue(job: TimelineJob, runAt: Date): Promise<string>;
  /** Makes a queued job due at `runAt` (later, after a failure) and ends its lease. */
  reschedule(jobId: string, runAt: Date): Promise<void>;
  /**
   * Up to `limit` jobs due at `now`, oldest due first, each leased until `now + leaseMs`: no other
   * claim gets a job while its lease runs, so a crashed worker's jobs are claimed again afterwards.
   *
   * `ready`: jobs whose write has committed (the writer says so in memory, see FeedUpdates): they
   * need not wait for their grace period. Those of them never claimed before (attempts 0) are
   * claimed whatever their due time; one already claimed is under someone's lease or was retried,
   * so it waits for its due time like any other. Ready jobs come first (oldest due first) and count
   * towards `limit`; ids of no queued job (unknown, completed, malformed) are ignored.
   */
  claim(now: Date, leaseMs: number, limit: number, ready?: readonly string[]): Promise<QueuedJob[]>;
  /** Removes jobs, all in one write: they are done (or no longer needed). Unknown ids are ignored; none, nothing is written. */
  complete(jobIds: readonly string[]): Promise<void>;
  /** How many jobs are queued (due or not): for metrics and for tests that wait for the queue to drain. */
  pendingJobs(): Promise<number>;
}
