import { SanitizeHtmlContentSanitizer } from '../../../adapters/system/sanitize-html-content-sanitizer.js';
import { AddArticle } from '../../domain/blogs/add-article.js';
import type { ContentSanitizer } from '../../domain/blogs/content-sanitizer.js';
import { CreateBlog } from '../../domain/blogs/create-blog.js';
import { DeleteArticle } from '../../domain/blogs/delete-article.js';
import { DeleteBlog } from '../../domain/blogs/delete-blog.js';
import { GetBlog } from '../../domain/blogs/get-blog.js';
import { ListArticles } from '../../domain/blogs/list-articles.js';
import { ListBlogs } from '../../domain/blogs/list-blogs.js';
import { UpdateArticle } from '../../domain/blogs/update-article.js';
import { UpdateBlog } from '../../domain/blogs/update-blog.js';
import { ViewArticle } from '../../domain/blogs/view-article.js';
import { UserSummaries } from '../../domain/users/user-summaries.js';
import { blogRoutes } from '../http/routes/blogs.js';
import { TOKENS as T } from '../tokens.js';
import { defineModule, portOf, type UseCaseFactories, type UseCasesOf } from './module.js';

const SANITIZER = Symbol('ContentSanitizer');

const useCases = {
  createBlog: (r) => new CreateBlog(portOf(r, 'blogs'), r.resolve(SANITIZER), r.resolve(T.ids), r.resolve(T.clock)),
  getBlog: (r) => new GetBlog(portOf(r, 'blogs'), r.resolve(UserSummaries)),
  listBlogs: (r) => new ListBlogs(portOf(r, 'blogs'), portOf(r, 'users'), r.resolve(UserSummaries)),
  updateBlog: (r) => new UpdateBlog(portOf(r, 'blogs'), r.resolve(T.clock)),
  deleteBlog: (r) => new DeleteBlog(portOf(r, 'blogs')),
  addArticle: (r) => new AddArticle(portOf(r, 'blogs'), r.resolve(SANITIZER), r.resolve(T.ids), r.resolve(T.clock)),
  viewArticle: (r) => new ViewArticle(portOf(r, 'blogs'), r.resolve(UserSummaries)),
  updateArticle: (r) => new UpdateArticle(portOf(r, 'blogs'), r.resolve(SANITIZER), r.resolve(T.clock), r.resolve(UserSummaries)),
  deleteArticle: (r) => new DeleteArticle(portOf(r, 'blogs')),
  listArticles: (r) => new ListArticles(portOf(r, 'blogs'), r.resolve(UserSummaries)),
} satisfies UseCaseFactories;

export type BlogUseCases = UseCasesOf<typeof useCases>;

/** Blogs and their articles, sanitized on write. */
export const blogs = defineModule({
  name: 'blogs',
  register(c) {
    c.register<ContentSanitizer>(SANITIZER, { useValue: new SanitizeHtmlContentSanitizer() });
  },
  useCases,
  routes: blogRoutes,
});
