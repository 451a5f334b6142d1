import type { Clock } from '../shared/clock.js';
import { checkBlogFields, type Blog } from './blog.js';
import { blogNotFound } from './errors.js';
import type { BlogRepository } from './blog-repository.js';
import { findBlog } from './find-blog.js';

export class UpdateBlog {
  constructor(
    private readonly blogs: BlogRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: { id: string; callerId: string; changes: { name?: string; slug?: string; description?: string | null } }): Promise<Blog> {
    checkBlogFields(input.changes);
    const blog = await findBlog(this.blogs, input.id, input.callerId);
    const { name, slug, description } = input.changes;
    const updated = await this.blogs.update({
      ...blog,
      ...(name === undefined ? {} : { name: name.trim() }),
      ...(slug === undefined ? {} : { slug }),
      ...(description === undefined ? {} : { description }),
      updatedAt: this.clock.now(),
    });
    if (!updated) throw blogNotFound(input.id);
    return updated;
  }
}
