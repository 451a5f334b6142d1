import { isId } from '../shared/id-generator.js';
import { ForbiddenError } from '../shared/errors.js';
import { blogNotFound } from './errors.js';
import type { Blog } from './blog.js';
import type { BlogRepository } from './blog-repository.js';

/** A blog by id (a UUID) or else by slug; with `ownerId`, only if that user owns it. */
export async function findBlog(blogs: BlogRepository, key: string, ownerId?: string): Promise<Blog> {
  const blog = isId(key) ? await blogs.findById(key) : await blogs.findBySlug(key);
  if (!blog) throw blogNotFound(key);
  if (ownerId !== undefined && blog.ownerId !== ownerId) throw new ForbiddenError('Only the blog owner may do this');
  return blog;
}
