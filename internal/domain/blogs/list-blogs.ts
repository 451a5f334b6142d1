import type { Page, PageRequest } from '../shared/page.js';
import type { UserSummary } from '../users/user.js';
import { userNotFound } from '../users/errors.js';
import type { UserRepository } from '../users/user-repository.js';
import type { UserSummaries } from '../users/user-summaries.js';
import type { BlogRepository } from './blog-repository.js';
import type { BlogView } from './blog-views.js';

export class ListBlogs {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly users: UserRepository,
    private readonly summaries: UserSummaries,
  ) {}

  /** The page, then its article counts and owners together (an `owner` filter names them already). */
  async execute(input: { owner?: string; page: PageRequest }): Promise<Page<BlogView>> {
    let owner: UserSummary | undefined;
    if (input.owner !== undefined) {
      owner = (await this.users.findByUsername(input.owner)) ?? undefined;
      if (!owner) throw userNotFound(input.owner);
    }
    const page = await this.blogs.page(owner ? { ownerId: owner.id } : {}, input.page);
    if (page.items.length === 0) return { items: [], next: page.next };
    const [counts, ownerOf] = await Promise.all([
      this.blogs.articleCounts(page.items.map((b) => b.id)),
      this.summaries.of(page.items.map((b) => b.ownerId), owner ? [owner] : []),
    ]);
    return {
      items: page.items.map((blog) => ({ blog, owner: ownerOf(blog.ownerId), articleCount: counts.get(blog.id) ?? 0 })),
      next: page.next,
    };
  }
}
