import type { UserSummaries } from '../users/user-summaries.js';
import { articleViews, type ArticleView } from './blog-views.js';
import { articleNotFound } from './errors.js';
import type { BlogRepository } from './blog-repository.js';

/** Reading an article counts a view. */
export class ViewArticle {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly users: UserSummaries,
  ) {}

  async execute(id: string): Promise<ArticleView> {
    const article = await this.blogs.viewArticle(id);
    if (!article) throw articleNotFound(id);
    const [view] = await articleViews(this.users, [article]);
    return view!;
  }
}
