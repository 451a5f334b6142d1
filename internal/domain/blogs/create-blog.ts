import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/id-generator.js';
import { ValidationError } from '../shared/errors.js';
import type { UserSummary } from '../users/user.js';
import { summaryOf } from '../users/user-summaries.js';
import { BLOG_LIMITS, checkArticleFields, checkBlogFields, type Article, type Blog } from './blog.js';
import type { BlogRepository } from './blog-repository.js';
import type { ArticleView, BlogView } from './blog-views.js';
import type { ContentSanitizer } from './content-sanitizer.js';

export interface CreateBlogInput {
  /** The caller, who owns the blog and writes its first articles. */
  owner: UserSummary;
  name: string;
  slug: string;
  description?: string;
  articles?: Array<{ title?: string; content: string }>;
}

export class CreateBlog {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly sanitizer: ContentSanitizer,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /** The new blog's view and its articles' views, newest first as pages list them. */
  async execute(input: CreateBlogInput): Promise<BlogView & { articles: ArticleView[] }> {
    checkBlogFields(input);
    const drafts = input.articles ?? [];
    if (drafts.length > BLOG_LIMITS.maxArticlesPerRequest) {
      throw ValidationError.field('articles', `at most ${BLOG_LIMITS.maxArticlesPerRequest} articles per request`);
    }
    drafts.forEach((a, i) => checkArticleFields(a, `articles.${i}.`));
    const now = this.clock.now();
    const blog: Blog = {
      id: this.ids.next(now),
      ownerId: input.owner.id,
      name: input.name.trim(),
      slug: input.slug,
      description: input.description ?? null,
      createdAt: now,
      updatedAt: now,
    };
    // A millisecond apart, so the request's order is their order (the first is the oldest).
    const articles = drafts.map((a, i): Article => ({
      id: this.ids.next(new Date(now.getTime() + i)),
      blogId: blog.id,
      authorId: input.owner.id,
      title: a.title ?? null,
      content: this.sanitizer.sanitize(a.content),
      viewCount: 0,
      createdAt: new Date(now.getTime() + i),
      updatedAt: new Date(now.getTime() + i),
    }));
    await this.blogs.createWithArticles(blog, articles);
    const owner = summaryOf(input.owner);
    return { blog, owner, articleCount: articles.length, articles: articles.map((article) => ({ article, author: owner })).reverse() };
  }
}
