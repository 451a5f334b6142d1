/** How home timelines are kept (configurable: TIMELINE_CAP, TIMELINE_CELEBRITY_THRESHOLD). */
export interface TimelineRules {
  /** Entries kept per reader; deeper pages are read from the posts module. */
  cap: number;
  /** Authors with more followers than this are not fanned out; their posts are merged in at read time. */
  celebrityThreshold: number;
}

export const DEFAULT_TIMELINE_RULES: TimelineRules = { cap: 800, celebrityThreshold: 10_000 };

/** How long a job waits before it runs anyway when the write it follows never said it was done. */
export const JOB_GRACE_MS = 30_000;
/** How long a claimed job is leased to one worker. */
export const JOB_LEASE_MS = 60_000;
/** How long a fan-out waits for a post that is not there yet before it gives up (the write failed). */
export const MISSING_POST_GIVE_UP_MS = 2 * JOB_GRACE_MS;
/** A build that has not finished after this is started again. */
export const BUILD_STALE_MS = 60_000;
/** Followers read per page while fanning out or reconciling. */
export const FOLLOWER_PAGE = 1_000;
