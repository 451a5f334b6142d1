import type { Page, PageRequest } from '../shared/page.js';
import type { UserSummaries } from '../users/user-summaries.js';
import type { BlogRepository } from './blog-repository.js';
import { articleViews, type ArticleView, type BlogView } from './blog-views.js';
import { findBlog } from './find-blog.js';

export interface BlogWithArticles extends BlogView {
  /** Present only when asked for. */
  articles?: Page<ArticleView>;
}

export class GetBlog {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly users: UserSummaries,
  ) {}

  /** The blog, then its count, articles and owner together; the articles' authors cost nothing more when they are the owner. */
  async execute(input: { key: string; includeArticles?: PageRequest }): Promise<BlogWithArticles> {
    const blog = await findBlog(this.blogs, input.key);
    const [counts, page, ownerOf] = await Promise.all([
      this.blogs.articleCounts([blog.id]),
      input.includeArticles ? this.blogs.articles(blog.id, input.includeArticles) : undefined,
      this.users.of([blog.ownerId]),
    ]);
    const owner = ownerOf(blog.ownerId);
    const view: BlogView = { blog, owner, articleCount: counts.get(blog.id) ?? 0 };
    if (!page) return view;
    return { ...view, articles: { items: await articleViews(this.users, page.items, [owner]), next: page.next } };
  }
}
