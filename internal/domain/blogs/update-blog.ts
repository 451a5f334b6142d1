import type { Clock } from '../shared/clock.js';
import type { UserSummary } from '../users/user.js';
import { summaryOf } from '../users/user-summaries.js';
import { checkBlogFields } from './blog.js';
import type { BlogView } from './blog-views.js';
import { blogNotFound } from './errors.js';
import type { BlogRepository } from './blog-repository.js';
import { findBlog } from './find-blog.js';

export class UpdateBlog {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The changed blog's view with nothing read after the write: the caller is the owner, and
   * the article count is read with the ownership check, before the update.
   */
  async execute(input: { id: string; caller: UserSummary; changes: { name?: string; slug?: string; description?: string | null } }): Promise<BlogView> {
    checkBlogFields(input.changes);
    const blog = await findBlog(this.blogs, input.id, input.caller.id);
    const counts = await this.blogs.articleCounts([blog.id]);
    const { name, slug, description } = input.changes;
    const updated = await this.blogs.update({
      ...blog,
      ...(name === undefined ? {} : { name: name.trim() }),
      ...(slug === undefined ? {} : { slug }),
      ...(description === undefined ? {} : { description }),
      updatedAt: this.clock.now(),
    });
    if (!updated) throw blogNotFound(input.id);
    return { blog: updated, owner: summaryOf(input.caller), articleCount: counts.get(blog.id) ?? 0 };
  }
}
