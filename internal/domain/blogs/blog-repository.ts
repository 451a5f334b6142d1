import type { Page, PageRequest } from '../shared/page.js';
import type { Article, Blog } from './blog.js';

/**
 * An id that names no blog or article, malformed ones included (`''`, `'nope'`), is an unknown
 * id: lookups and updates answer null, deletes false, pages nothing, never an error.
 */
export interface BlogRepository {
  /** The blog and all its articles, or nothing (then throws); SlugTakenError on a taken slug. */
  createWithArticles(blog: Blog, articles: readonly Article[]): Promise<void>;
  findById(id: string): Promise<Blog | null>;
  findBySlug(slug: string): Promise<Blog | null>;
  /** Newest first. */
  page(filter: { ownerId?: string }, request: PageRequest): Promise<Page<Blog>>;
  /** Null when the blog is gone; SlugTakenError when the new slug is taken. */
  update(blog: Blog): Promise<Blog | null>;
  /** Removes the blog and every article of it; false when there was none. */
  delete(id: string): Promise<boolean>;
  articleCounts(blogIds: readonly string[]): Promise<Map<string, number>>;
  /** False, storing nothing, when the blog is gone. */
  addArticle(article: Article): Promise<boolean>;
  findArticle(id: string): Promise<Article | null>;
  /** Adds one to the article's view count atomically and returns it; null when gone. */
  viewArticle(id: string): Promise<Article | null>;
  updateArticle(article: Article): Promise<Article | null>;
  deleteArticle(id: string): Promise<boolean>;
  /** Newest first. */
  articles(blogId: string, request: PageRequest): Promise<Page<Article>>;
}
