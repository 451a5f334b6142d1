import type { Page, PageRequest } from '../shared/page.js';
import type { UserSummaries } from '../users/user-summaries.js';
import type { BlogRepository } from './blog-repository.js';
import { articleViews, type ArticleView } from './blog-views.js';
import { findBlog } from './find-blog.js';

export class ListArticles {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly users: UserSummaries,
  ) {}

  async execute(input: { blogId: string; page: PageRequest }): Promise<Page<ArticleView>> {
    const blog = await findBlog(this.blogs, input.blogId);
    const page = await this.blogs.articles(blog.id, input.page);
    return { items: await articleViews(this.users, page.items), next: page.next };
  }
}
