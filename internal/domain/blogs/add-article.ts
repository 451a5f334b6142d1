import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/id-generator.js';
import { checkArticleFields, type Article } from './blog.js';
import { blogNotFound } from './errors.js';
import type { BlogRepository } from './blog-repository.js';
import type { ContentSanitizer } from './content-sanitizer.js';
import { findBlog } from './find-blog.js';

export class AddArticle {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly sanitizer: ContentSanitizer,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { blogId: string; callerId: string; title?: string; content: string }): Promise<Article> {
    checkArticleFields(input);
    const blog = await findBlog(this.blogs, input.blogId, input.callerId);
    const now = this.clock.now();
    const article: Article = {
      id: this.ids.next(now),
      blogId: blog.id,
      authorId: input.callerId,
      title: input.title ?? null,
      content: this.sanitizer.sanitize(input.content),
      viewCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.blogs.addArticle(article))) throw blogNotFound(input.blogId);
    return article;
  }
}
