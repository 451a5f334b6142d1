import type { Page, PageRequest } from '../shared/page.js';
import type { Article, Blog } from './blog.js';
import type { BlogRepository } from './blog-repository.js';
import { findBlog } from './find-blog.js';

export interface BlogView {
  blog: Blog;
  articleCount: number;
  /** Present only when asked for. */
  articles?: Page<Article>;
}

export class GetBlog {
  constructor(private readonly blogs: BlogRepository) {}

  async execute(input: { key: string; includeArticles?: PageRequest }): Promise<BlogView> {
    const blog = await findBlog(this.blogs, input.key);
    const [counts, articles] = await Promise.all([
      this.blogs.articleCounts([blog.id]),
      input.includeArticles ? this.blogs.articles(blog.id, input.includeArticles) : undefined,
    ]);
    return { blog, articleCount: counts.get(blog.id) ?? 0, ...(articles ? { articles } : {}) };
  }
}
