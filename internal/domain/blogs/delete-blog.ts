import type { BlogRepository } from './blog-repository.js';
import { findBlog } from './find-blog.js';

export class DeleteBlog {
  constructor(private readonly blogs: BlogRepository) {}

  async execute(input: { id: string; callerId: string }): Promise<void> {
    const blog = await findBlog(this.blogs, input.id, input.callerId);
    await this.blogs.delete(blog.id);
  }
}
