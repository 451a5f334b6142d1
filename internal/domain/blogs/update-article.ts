import type { Clock } from '../shared/clock.js';
import type { UserSummary } from '../users/user.js';
import type { UserSummaries } from '../users/user-summaries.js';
import { checkArticleFields } from './blog.js';
import { articleViews, type ArticleView } from './blog-views.js';
import { articleNotFound } from './errors.js';
import type { BlogRepository } from './blog-repository.js';
import type { ContentSanitizer } from './content-sanitizer.js';
import { ownedArticle } from './owned-article.js';

export class UpdateArticle {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly sanitizer: ContentSanitizer,
    private readonly clock: Clock,
    private readonly users: UserSummaries,
  ) {}

  /** The author is named before the write: the caller, the blog's owner, wrote it in practice, which costs no call. */
  async execute(input: { id: string; caller: UserSummary; changes: { title?: string | null; content?: string } }): Promise<ArticleView> {
    checkArticleFields(input.changes);
    const article = await ownedArticle(this.blogs, input.id, input.caller.id);
    const [named] = await articleViews(this.users, [article], [input.caller]);
    const { title, content } = input.changes;
    const updated = await this.blogs.updateArticle({
      ...article,
      ...(title === undefined ? {} : { title }),
      ...(content === undefined ? {} : { content: this.sanitizer.sanitize(content) }),
      updatedAt: this.clock.now(),
    });
    if (!updated) throw articleNotFound(input.id);
    return { article: updated, author: named!.author };
  }
}
