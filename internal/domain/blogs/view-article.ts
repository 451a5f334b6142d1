import { isId } from '../shared/id-generator.js';
import type { Article } from './blog.js';
import { articleNotFound } from './errors.js';
import type { BlogRepository } from './blog-repository.js';

/** Reading an article counts a view. */
export class ViewArticle {
  constructor(private readonly blogs: BlogRepository) {}

  async execute(id: string): Promise<Article> {
    const article = isId(id) ? await this.blogs.viewArticle(id) : null;
    if (!article) throw articleNotFound(id);
    return article;
  }
}
