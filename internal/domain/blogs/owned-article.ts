import { ForbiddenError } from '../shared/errors.js';
import type { Article } from './blog.js';
import { articleNotFound } from './errors.js';
import type { BlogRepository } from './blog-repository.js';

/** An article its blog's owner may change: 404 when missing, 403 for anyone else. */
export async function ownedArticle(blogs: BlogRepository, id: string, callerId: string): Promise<Article> {
  const article = await blogs.findArticle(id);
  if (!article) throw articleNotFound(id);
  const blog = await blogs.findById(article.blogId);
  if (!blog) throw articleNotFound(id);
  if (blog.ownerId !== callerId) throw new ForbiddenError('Only the blog owner may do this');
  return article;
}
