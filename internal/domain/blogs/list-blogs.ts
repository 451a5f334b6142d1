import type { Page, PageRequest } from '../shared/page.js';
import { userNotFound } from '../users/errors.js';
import type { UserRepository } from '../users/user-repository.js';
import type { BlogRepository } from './blog-repository.js';
import type { BlogView } from './get-blog.js';

export class ListBlogs {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly users: UserRepository,
  ) {}

  async execute(input: { owner?: string; page: PageRequest }): Promise<Page<BlogView>> {
    let ownerId: string | undefined;
    if (input.owner !== undefined) {
      const owner = await this.users.findByUsername(input.owner);
      if (!owner) throw userNotFound(input.owner);
      ownerId = owner.id;
    }
    const page = await this.blogs.page(ownerId ? { ownerId } : {}, input.page);
    const counts = await this.blogs.articleCounts(page.items.map((b) => b.id));
    return { items: page.items.map((blog) => ({ blog, articleCount: counts.get(blog.id) ?? 0 })), next: page.next };
  }
}
