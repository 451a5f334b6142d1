import type { UserSummary } from '../users/user.js';
import type { UserSummaries } from '../users/user-summaries.js';
import type { Article, Blog } from './blog.js';

/** A blog as the API shows it: with its owner's name and how many articles it has. */
export interface BlogView {
  blog: Blog;
  owner: UserSummary;
  articleCount: number;
}

/** An article as the API shows it: with its author's name. */
export interface ArticleView {
  article: Article;
  author: UserSummary;
}

/** Articles with their authors' names, in one store call at most (none when every author is `known`). */
export async function articleViews(users: UserSummaries, articles: readonly Article[], known: readonly UserSummary[] = []): Promise<ArticleView[]> {
  const authorOf = await users.of(articles.map((a) => a.authorId), known);
  return articles.map((article) => ({ article, author: authorOf(article.authorId) }));
}
