import type { Clock } from '../shared/clock.js';
import { checkArticleFields, type Article } from './blog.js';
import { articleNotFound } from './errors.js';
import type { BlogRepository } from './blog-repository.js';
import type { ContentSanitizer } from './content-sanitizer.js';
import { ownedArticle } from './owned-article.js';

export class UpdateArticle {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly sanitizer: ContentSanitizer,
    private readonly clock: Clock,
  ) {}

  async execute(input: { id: string; callerId: string; changes: { title?: string | null; content?: string } }): Promise<Article> {
    checkArticleFields(input.changes);
    const article = await ownedArticle(this.blogs, input.id, input.callerId);
    const { title, content } = input.changes;
    const updated = await this.blogs.updateArticle({
      ...article,
      ...(title === undefined ? {} : { title }),
      ...(content === undefined ? {} : { content: this.sanitizer.sanitize(content) }),
      updatedAt: this.clock.now(),
    });
    if (!updated) throw articleNotFound(input.id);
    return updated;
  }
}
