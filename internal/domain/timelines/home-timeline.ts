import type { FeedFilter, FollowingFeed } from '../posts/following-feed.js';
import { newestAmongApart, type PostRepository } from '../posts/post-repository.js';
import type { PostView } from '../posts/post-views.js';
import type { Clock } from '../shared/clock.js';
import type { Page, PageRequest } from '../shared/page.js';
import type { TimelinePages, TimelineStore } from './timeline-store.js';

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

/** The page of `limit` from the newest `limit + 1` views. */
function pageOf(merged: PostView[], limit: number): Page<PostView> {
  const items = merged.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: merged.length > limit && last ? last.post.id : null };
}

/**
 * The following feed served from home timelines (the read side of fan-out on write):
 *
 * - the reader's timeline gives the page's post ids in one call, with its celebrities (followees
 *   above the threshold, never fanned out);
 * - their posts in the same range are merged in, and the page's views read, in one call to the
 *   posts module (or two where it cannot: see newestAmong);
 * - where one store holds both timelines and posts (`pages`), the whole page is one call;
 * - `pull` — the definition itself — answers whatever the timeline cannot: a text search, a page
 *   below the timeline's floor (it keeps `cap` entries), a reader whose timeline is missing (its
 *   build is then queued for the worker) or still being built.
 *
 * Whichever path answers, the page is the one the definition gives.
 */
export class HomeTimeline implements FollowingFeed {
  /** Readers whose build this process has queued, so a burst of first reads queues one. */
  private readonly requested = new Set<string>();

  constructor(
    private readonly store: TimelineStore,
    private readonly pull: FollowingFeed,
    private readonly posts: PostRepository,
    private readonly clock: Clock,
    private readonly wake: () => void = () => {},
    private readonly pages?: TimelinePages,
  ) {}

  async page(readerId: string, filter: FeedFilter, request: PageRequest): Promise<Page<PostView>> {
    if (filter.text !== undefined) return this.pull.page(readerId, filter, request);
    const want = request.limit + 1;
    const range = { idBefore: lowerBound(filter.idBefore, request.before), ...(filter.idFrom ? { idFrom: filter.idFrom } : {}) };
    if (range.idBefore === undefined) delete range.idBefore;
    if (this.pages) {
      const page = await this.pages.read(readerId, range, want);
      if (!page) return this.firstRead(readerId, filter, request);
      this.requested.delete(readerId);
      if (!page.ready || !covers(page.entries, page.floor, want, filter)) return this.pull.page(readerId, filter, request);
      return pageOf(page.views, request.limit);
    }
    const slice = await this.store.read(readerId, range, want);
    if (!slice) return this.firstRead(readerId, filter, request);
    this.requested.delete(readerId);
    if (!slice.ready || !covers(slice.postIds.length, slice.floor, want, filter)) return this.pull.page(readerId, filter, request);
    return pageOf(await this.newest(slice.postIds, { ...filter, authorIds: slice.celebrities }, want, request.before), request.limit);
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
