import type { BlogRepository } from './blog-repository.js';
import { ownedArticle } from './owned-article.js';

export class DeleteArticle {
  constructor(private readonly blogs: BlogRepository) {}

  async execute(input: { id: string; callerId: string }): Promise<void> {
    const article = await ownedArticle(this.blogs, input.id, input.callerId);
    await this.blogs.deleteArticle(article.id);
  }
}
