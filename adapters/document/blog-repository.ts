import type { Collection } from 'mongodb';
import type { Article, Blog } from '../../internal/domain/blogs/blog.js';
import type { BlogRepository } from '../../internal/domain/blogs/blog-repository.js';
import { SlugTakenError } from '../../internal/domain/blogs/errors.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { commitBlogWithArticles, sweepAbandonedCreations, type BlogCollections } from './blog-commit.js';
import { ArticleViews } from './article-views.js';
import { isDuplicateKey } from './errors.js';
import { keysetPage, newestFirst, pageOf } from './keyset.js';
import { articleDoc, toArticle, toBlog } from './records.js';
import type { ArticleDoc, ArticleViewDoc } from './schema.js';

const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Blogs and articles in two collections, consistent without multi-document transactions by
 * one rule: an article is visible only while its blog document exists. The blog is inserted
 * after its first articles (blog-commit.ts) and deleted before them.
 */
export class MongoBlogRepository implements BlogRepository {
  private lastSweep = 0;
  private readonly views: ArticleViews;

  constructor(
    private readonly c: BlogCollections,
    views: Collection<ArticleViewDoc>,
  ) {
    this.views = new ArticleViews(views);
  }

  /** Also finishes creations that crashed, at most every ten minutes per process. */
  async createWithArticles(blog: Blog, articles: readonly Article[]): Promise<void> {
    if (Date.now() - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = Date.now();
      await sweepAbandonedCreations(this.c);
    }
    await commitBlogWithArticles(this.c, blog, articles);
  }

  async findById(id: string): Promise<Blog | null> {
    const doc = await this.c.blogs.findOne({ _id: id });
    return doc ? toBlog(doc) : null;
  }

  async findBySlug(slug: string): Promise<Blog | null> {
    const doc = await this.c.blogs.findOne({ slug });
    return doc ? toBlog(doc) : null;
  }

  page(filter: { ownerId?: string }, request: PageRequest): Promise<Page<Blog>> {
    return keysetPage(this.c.blogs, filter.ownerId !== undefined ? { owner_id: filter.ownerId } : {}, request, toBlog);
  }

  /** The id, owner and creation time never change, so the stored blog is `blog` itself. */
  async update(blog: Blog): Promise<Blog | null> {
    try {
      const result = await this.c.blogs.updateOne(
        { _id: blog.id },
        { $set: { name: blog.name, slug: blog.slug, description: blog.description, updated_at: blog.updatedAt } },
      );
      return result.matchedCount > 0 ? blog : null;
    } catch (err) {
      if (isDuplicateKey(err) && (await this.slugHeldByOther(blog))) throw new SlugTakenError(blog.slug);
      throw err;
    }
  }

  /**
   * The blog goes first, which hides its articles at once; then the articles and their views.
   * What an interrupted delete leaves stays hidden, and deleting the id again removes it.
   */
  async delete(id: string): Promise<boolean> {
    const { deletedCount } = await this.c.blogs.deleteOne({ _id: id });
    await this.c.articles.deleteMany({ blog_id: id });
    await this.views.removeBlog(id);
    return deletedCount > 0;
  }

  async articleCounts(blogIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (blogIds.length === 0) return counts;
    const groups = await this.c.articles
      .aggregate<{ _id: string; n: number }>([
        { $match: { blog_id: { $in: [...blogIds] } } },
        { $group: { _id: '$blog_id', n: { $sum: 1 } } },
      ])
      .toArray();
    for (const { _id, n } of groups) counts.set(_id, n);
    return counts;
  }

  /** Checked again after the insert: a blog deleted meanwhile takes the new article with it. */
  async addArticle(article: Article): Promise<boolean> {
    if (!(await this.blogExists(article.blogId))) return false;
    await this.c.articles.insertOne(articleDoc(article));
    if (await this.blogExists(article.blogId)) return true;
    await this.c.articles.deleteOne({ _id: article.id });
    return false;
  }

  async findArticle(id: string): Promise<Article | null> {
    const doc = await this.visibleArticle(id);
    return doc ? toArticle(doc, await this.views.count(id)) : null;
  }

  async viewArticle(id: string): Promise<Article | null> {
    const doc = await this.visibleArticle(id);
    return doc ? toArticle(doc, await this.views.record(id, doc.blog_id)) : null;
  }

  async updateArticle(article: Article): Promise<Article | null> {
    if (!(await this.visibleArticle(article.id))) return null;
    const fields = { title: article.title, content: article.content, updated_at: article.updatedAt };
    const { matchedCount } = await this.c.articles.updateOne({ _id: article.id }, { $set: fields });
    return matchedCount > 0 ? { ...article, viewCount: await this.views.count(article.id) } : null;
  }

  async deleteArticle(id: string): Promise<boolean> {
    const { deletedCount } = await this.c.articles.deleteOne({ _id: id });
    await this.views.removeArticle(id);
    return deletedCount > 0;
  }

  async articles(blogId: string, request: PageRequest): Promise<Page<Article>> {
    if (!(await this.blogExists(blogId))) return { items: [], next: null };
    const docs = await newestFirst(this.c.articles, { blog_id: blogId }, request);
    const views = await this.views.counts(docs.slice(0, request.limit).map((d) => d._id));
    return pageOf(docs, request, (d) => toArticle(d, views.get(d._id) ?? 0));
  }

  private async visibleArticle(id: string): Promise<ArticleDoc | null> {
    const doc = await this.c.articles.findOne({ _id: id });
    return doc && (await this.blogExists(doc.blog_id)) ? doc : null;
  }

  private async blogExists(id: string): Promise<boolean> {
    return (await this.c.blogs.countDocuments({ _id: id }, { limit: 1 })) > 0;
  }

  private async slugHeldByOther(blog: Blog): Promise<boolean> {
    return (await this.c.blogs.countDocuments({ slug: blog.slug, _id: { $ne: blog.id } }, { limit: 1 })) > 0;
  }
}
