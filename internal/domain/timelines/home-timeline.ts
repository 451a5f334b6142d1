import type { FeedFilter, FollowingFeed } from '../posts/following-feed.js';
import { newestAmongApart, type PostRepository } from '../posts/post-repository.js';
import type { PostView } from '../posts/post-views.js';
import type { Clock } from '../shared/clock.js';
import type { Page, PageRequest } from '../shared/page.js';
import type { SessionRef } from '../users/session.js';
import { SESSION_NOT_LIVE, type IdRange, type TimelinePage, type TimelinePages, type TimelineStore } from './timeline-store.js';

/** The smaller of two optional upper bounds. */
function lowerBound(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

/**
 * Whether a slice of `entries` (of the `want` asked) holds all of its range's posts: it filled
 * the page, or its floor is below the range (never trimmed, or trimmed below `idFrom`).
 */
function covers(entries: number, floor: string | null, want: number, filter: FeedFilter): boolean {
  return entries === want || floor === null || (filter.idFrom !== undefined && filter.idFrom > floor);
}

/** The ids a page may hold (the filter's and the cursor's bounds) and how many to read: one more than the page, to know whether another follows. */
function rangeOf(filter: FeedFilter, request: PageRequest): { range: IdRange; want: number } {
  const idBefore = lowerBound(filter.idBefore, request.before);
  return { range: { ...(idBefore === undefined ? {} : { idBefore }), ...(filter.idFrom ? { idFrom: filter.idFrom } : {}) }, want: request.limit + 1 };
}

/** The page of `limit` from the newest `limit + 1` views. */
function pageOf(merged: PostView[], limit: number): Page<PostView> {
  const items = merged.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: merged.length > limit && last ? last.post.id : null };
}

export interface HomeTimelineOptions {
  /** Tells the worker a build was queued. */
  wake?: () => void;
  /** The one-call page read, where one store holds the timelines and the posts. */
  pages?: TimelinePages;
  /** Whether that store holds the users' sessions too: then `pageForSession` confirms a token's session in the page's own call. */
  pagesHoldSessions?: boolean;
}

/**
 * The following feed served from home timelines (the read side of fan-out on write):
 *
 * - the reader's timeline gives the page's post ids in one call, with its celebrities (followees
 *   above the threshold, never fanned out);
 * - their posts in the same range are merged in, and the page's views read, in one call to the
 *   posts module (or two where it cannot: see newestAmong);
 * - where one store holds both timelines and posts (`pages`), the whole page is one call; where
 *   it holds the users' sessions too, so is a page for a bearer token (`pageForSession`);
 * - `pull` — the definition itself — answers whatever the timeline cannot: a text search, a page
 *   below the timeline's floor (it keeps `cap` entries), a reader whose timeline is missing (its
 *   build is then queued for the worker) or still being built.
 *
 * Whichever path answers, the page is the one the definition gives.
 */
export class HomeTimeline implements FollowingFeed {
  /** Readers whose build this process has queued, so a burst of first reads queues one. */
  private readonly requested = new Set<string>();
  private readonly wake: () => void;
  private readonly pages: TimelinePages | undefined;
  /** Present where the page's store confirms sessions (see FollowingFeed). */
  readonly pageForSession?: (session: SessionRef, filter: FeedFilter, request: PageRequest) => Promise<Page<PostView> | null>;

  constructor(
    private readonly store: TimelineStore,
    private readonly pull: FollowingFeed,
    private readonly posts: PostRepository,
    private readonly clock: Clock,
    options: HomeTimelineOptions = {},
  ) {
    this.wake = options.wake ?? (() => {});
    this.pages = options.pages;
    const pages = options.pages;
    if (pages && options.pagesHoldSessions) this.pageForSession = (session, filter, request) => this.confirmedPage(pages, session, filter, request);
  }

  async page(readerId: string, filter: FeedFilter, request: PageRequest): Promise<Page<PostView>> {
    if (filter.text !== undefined) return this.pull.page(readerId, filter, request);
    const { range, want } = rangeOf(filter, request);
    // Without a session to confirm, the read answers a page or null (never SESSION_NOT_LIVE).
    if (this.pages) return this.fromPages(readerId, (await this.pages.read(readerId, range, want)) as TimelinePage | null, filter, request);
    const slice = await this.store.read(readerId, range, want);
    if (!slice) return this.firstRead(readerId, filter, request);
    this.requested.delete(readerId);
    if (!slice.ready || !covers(slice.postIds.length, slice.floor, want, filter)) return this.pull.page(readerId, filter, request);
    return pageOf(await this.newest(slice.postIds, { ...filter, authorIds: slice.celebrities }, want, request.before), request.limit);
  }

  /**
   * The page's call confirms the session too. A text search reads the page it does not use, to
   * confirm the session in one call still; the pull path then answers it.
   */
  private async confirmedPage(pages: TimelinePages, session: SessionRef, filter: FeedFilter, request: PageRequest): Promise<Page<PostView> | null> {
    const { range, want } = rangeOf(filter, request);
    const read = await pages.read(session.userId, range, want, { sessionId: session.sessionId, now: this.clock.now() });
    if (read === SESSION_NOT_LIVE) return null;
    if (filter.text !== undefined) return this.pull.page(session.userId, filter, request);
    return this.fromPages(session.userId, read, filter, request);
  }

  private fromPages(readerId: string, page: TimelinePage | null, filter: FeedFilter, request: PageRequest): Promise<Page<PostView>> | Page<PostView> {
    if (!page) return this.firstRead(readerId, filter, request);
    this.requested.delete(readerId);
    if (!page.ready || !covers(page.entries, page.floor, request.limit + 1, filter)) return this.pull.page(readerId, filter, request);
    return pageOf(page.views, request.limit);
  }

  /** A reader without a timeline: the pull path answers while the worker builds one. */
  private async firstRead(readerId: string, filter: FeedFilter, request: PageRequest): Promise<Page<PostView>> {
    const [page] = await Promise.all([this.pull.page(readerId, filter, request), this.requestBuild(readerId)]);
    return page;
  }

  /** The newest `want` among the timeline's `ids` and its celebrities' posts: in one call where the posts module can. */
  private async newest(ids: string[], celebrities: FeedFilter & { authorIds: string[] }, want: number, before: string | undefined): Promise<PostView[]> {
    if (ids.length > 0 && celebrities.authorIds.length > 0 && this.posts.newestAmong) return this.posts.newestAmong(ids, celebrities, want, before);
    return newestAmongApart(this.posts, ids, celebrities, want, before);
  }

  /** Queues the build of a reader's timeline (a job: the worker runs it, once, see BuildTimeline). */
  private async requestBuild(readerId: string): Promise<void> {
    if (this.requested.has(readerId)) return;
    this.requested.add(readerId);
    if (this.requested.size > 10_000) this.requested.clear(); // a bound, not a cache: a repeat queues a no-op job
    await this.store.enqueue({ kind: 'build', readerId }, this.clock.now());
    this.wake();
  }
}
