import type { FollowRepository } from '../follows/follow-repository.js';
import type { PostRepository } from '../posts/post-repository.js';
import type { Clock } from '../shared/clock.js';
import { BUILD_STALE_MS, type TimelineRules } from './timeline-rules.js';
import type { TimelineStore } from './timeline-store.js';

/**
 * Fills a reader's timeline from the definition: the newest `cap` posts of the followees the
 * registry does not count as celebrities, and those celebrities. The timeline exists (not ready)
 * before the posts are read, so a fan-out running meanwhile either finds it or wrote a post this
 * read sees. A reader who already has one (or whose build is under way) is left alone.
 */
export class BuildTimeline {
  constructor(
    private readonly store: TimelineStore,
    private readonly posts: PostRepository,
    private readonly follows: FollowRepository,
    private readonly clock: Clock,
    private readonly rules: TimelineRules,
  ) {}

  async execute(readerId: string): Promise<void> {
    const now = this.clock.now();
    if (!(await this.store.open(readerId, now, new Date(now.getTime() - BUILD_STALE_MS)))) return;
    try {
      const [followees, registry] = await Promise.all([this.follows.followeeIds(readerId), this.store.celebrities()]);
      const celebrities = new Set(registry);
      const fannedOut = followees.filter((id) => !celebrities.has(id));
      const cap = this.rules.cap;
      const newest = fannedOut.length > 0 ? (await this.posts.page({ authorIds: fannedOut }, { limit: cap + 1 })).items : [];
      const entries = newest.slice(0, cap).map((v) => ({ postId: v.post.id, authorId: v.post.authorId }));
      const floor = newest.length > cap ? newest[cap]!.post.id : null;
      await this.store.fill(readerId, entries, floor, followees.filter((id) => celebrities.has(id)), cap);
    } catch (err) {
      await this.store.drop(readerId).catch(() => {});
      throw err;
    }
  }
}
