import type { FeedFilter, FollowingFeed } from '../posts/following-feed.js';
import { newestAmongApart, type PostRepository } from '../posts/post-repository.js';
import type { PostView } from '../posts/post-views.js';
import type { Clock } from '../shared/clock.js';
import type { Page, PageRequest } from '../shared/page.js';
import type { TimelineStore } from './timeline-store.js';

/** The smaller of two optional upper bounds. */
function lowerBound(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

/**
 * The following feed served from home timelines (the read side of fan-out on write):
 *
 * - the reader's timeline gives the page's post ids in one call, with its celebrities (followees
 *   above the threshold, never fanned out);
 * - their posts in the same range are read from the posts module and merged in, in parallel with
 *   the views of the timeline's ids (one call each);
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
  ) {}

  async page(readerId: string, filter: FeedFilter, request: PageRequest): Promise<Page<PostView>> {
    if (filter.text !== undefined) return this.pull.page(readerId, filter, request);
    const want = request.limit + 1;
    const range = { idBefore: lowerBound(filter.idBefore, request.before), ...(filter.idFrom ? { idFrom: filter.idFrom } : {}) };
    if (range.idBefore === undefined) delete range.idBefore;
    const slice = await this.store.read(readerId, range, want);
    if (!slice) {
      const [page] = await Promise.all([this.pull.page(readerId, filter, request), this.requestBuild(readerId)]);
      return page;
    }
    this.requested.delete(readerId);
    const complete =
      slice.postIds.length === want || slice.floor === null || (filter.idFrom !== undefined && filter.idFrom > slice.floor);
    if (!slice.ready || !complete) return this.pull.page(readerId, filter, request);

    const merged = await this.newest(slice.postIds, { ...filter, authorIds: slice.celebrities }, want, request.before);
    const items = merged.slice(0, request.limit);
    const last = items[items.length - 1];
    return { items, next: merged.length > request.limit && last ? last.post.id : null };
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
