import type { Page, PageRequest } from '../shared/page.js';
import type { Article } from './blog.js';
import type { BlogRepository } from './blog-repository.js';
import { findBlog } from './find-blog.js';

export class ListArticles {
  constructor(private readonly blogs: BlogRepository) {}

  async execute(input: { blogId: string; page: PageRequest }): Promise<Page<Article>> {
    const blog = await findBlog(this.blogs, input.blogId);
    return this.blogs.articles(blog.id, input.page);
  }
}
