import type { Clock } from '../shared/clock.js';
import type { IdGenerator } from '../shared/id-generator.js';
import type { UserSummary } from '../users/user.js';
import { summaryOf } from '../users/user-summaries.js';
import { checkArticleFields, type Article } from './blog.js';
import type { ArticleView } from './blog-views.js';
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

  /** The caller, the blog's owner, writes it: the answer names them without asking the store. */
  async execute(input: { blogId: string; caller: UserSummary; title?: string; content: string }): Promise<ArticleView> {
    checkArticleFields(input);
    const blog = await findBlog(this.blogs, input.blogId, input.caller.id);
    const now = this.clock.now();
    const article: Article = {
      id: this.ids.next(now),
      blogId: blog.id,
      authorId: input.caller.id,
      title: input.title ?? null,
      content: this.sanitizer.sanitize(input.content),
      viewCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.blogs.addArticle(article))) throw blogNotFound(input.blogId);
    return { article, author: summaryOf(input.caller) };
  }
}
