import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/id-generator.js';
import { ValidationError } from '../shared/errors.js';
import { checkArticleFields, checkBlogFields, MAX_ARTICLES_PER_REQUEST, type Article, type Blog } from './blog.js';
import type { BlogRepository } from './blog-repository.js';
import type { ContentSanitizer } from './content-sanitizer.js';

export interface CreateBlogInput {
  ownerId: string;
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

  async execute(input: CreateBlogInput): Promise<{ blog: Blog; articles: Article[] }> {
    checkBlogFields(input);
    const drafts = input.articles ?? [];
    if (drafts.length > MAX_ARTICLES_PER_REQUEST) {
      throw ValidationError.field('articles', `at most ${MAX_ARTICLES_PER_REQUEST} articles per request`);
    }
    drafts.forEach((a, i) => checkArticleFields(a, `articles.${i}.`));
    const now = this.clock.now();
    const blog: Blog = {
      id: this.ids.next(now),
      ownerId: input.ownerId,
      name: input.name.trim(),
      slug: input.slug,
      description: input.description ?? null,
      createdAt: now,
      updatedAt: now,
    };
    // A millisecond apart, so the request's order is their order (the first is the oldest).
    const articles = drafts.map((a, i) => ({
      id: this.ids.next(new Date(now.getTime() + i)),
      blogId: blog.id,
      authorId: input.ownerId,
      title: a.title ?? null,
      content: this.sanitizer.sanitize(a.content),
      viewCount: 0,
      createdAt: new Date(now.getTime() + i),
      updatedAt: new Date(now.getTime() + i),
    }));
    await this.blogs.createWithArticles(blog, articles);
    return { blog, articles };
  }
}
