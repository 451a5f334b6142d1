import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BLOG_LIMITS } from '../../../domain/blogs/blog.js';
import { encodeCursor, pageRequest } from '../../../domain/shared/page.js';
import type { Config } from '../../config.js';
import type { BlogUseCases } from '../../modules/blogs.js';
import { IdParams, Named, NoContent, PageQuery, Text, responses } from '../schemas/common.js';
import { ArticleInput, ArticleOut, ArticlePage, BlogOut, BlogPage, CreateBlogBody, PatchArticleBody, PatchBlogBody, articleOut, blogOut } from '../schemas/blogs.js';

export const blogRoutes: FastifyPluginAsyncTypebox<{ uc: BlogUseCases; config: Config }> = async (app, { uc }) => {
  const tags = ['blogs'];
  const required = { auth: 'required' } as const;
  const cursor = (next: string | null) => next && encodeCursor(next);

  app.post('/api/blogs', {
    config: required,
    schema: {
      operationId: 'createBlog',
      tags,
      summary: `Create a blog, with up to ${BLOG_LIMITS.maxArticlesPerRequest} first articles, all or nothing`,
      body: CreateBlogBody,
      response: responses({ 201: Named(BlogOut) }, [400, 409]),
    },
  }, async (request, reply) => {
    const view = await uc.createBlog.execute({ owner: request.user!, ...request.body });
    return reply
      .code(201)
      .header('location', `/api/blogs/${view.blog.id}`)
      .send({ ...blogOut(view), articles: view.articles.map(articleOut) });
  });

  app.get('/api/blogs', {
    schema: {
      operationId: 'listBlogs',
      tags,
      summary: 'Blogs, newest first',
      querystring: Type.Object({ ...PageQuery, owner: Type.Optional(Text({ minLength: 1, maxLength: 100 })) }, { additionalProperties: false }),
      response: responses({ 200: Named(BlogPage) }, [400, 404]),
    },
  }, async (request) => {
    const { limit, cursor: after, owner } = request.query;
    const page = await uc.listBlogs.execute({ page: pageRequest(limit, after), ...(owner === undefined ? {} : { owner }) });
    return { items: page.items.map(blogOut), next_cursor: cursor(page.next) };
  });

  app.get('/api/blogs/:id', {
    schema: {
      operationId: 'getBlog',
      tags,
      summary: 'One blog, by id or by slug; ?include=articles embeds its latest articles',
      params: IdParams,
      querystring: Type.Object({ include: Type.Optional(Type.Literal('articles')) }, { additionalProperties: false }),
      response: responses({ 200: Named(BlogOut) }, [400, 404]),
    },
  }, async (request) => {
    const view = await uc.getBlog.execute({
      key: request.params.id,
      ...(request.query.include ? { includeArticles: pageRequest(undefined, undefined) } : {}),
    });
    return {
      ...blogOut(view),
      ...(view.articles ? { articles: view.articles.items.map(articleOut), articles_next_cursor: cursor(view.articles.next) } : {}),
    };
  });

  app.patch('/api/blogs/:id', {
    config: required,
    schema: {
      operationId: 'updateBlog',
      tags,
      summary: 'Change a blog (owner only)',
      params: IdParams,
      body: PatchBlogBody,
      response: responses({ 200: Named(BlogOut) }, [400, 403, 404, 409]),
    },
  }, async (request) => blogOut(await uc.updateBlog.execute({ id: request.params.id, caller: request.user!, changes: request.body })));

  app.delete('/api/blogs/:id', {
    config: required,
    schema: { operationId: 'deleteBlog', tags, summary: 'Delete a blog and its articles (owner only)', params: IdParams, response: responses({ 204: NoContent }, [403, 404]) },
  }, async (request, reply) => {
    await uc.deleteBlog.execute({ id: request.params.id, callerId: request.user!.id });
    return reply.code(204).send();
  });

  app.post('/api/blogs/:id/articles', {
    config: required,
    schema: {
      operationId: 'createArticle',
      tags,
      summary: 'Add an article (blog owner only)',
      params: IdParams,
      body: ArticleInput,
      response: responses({ 201: Named(ArticleOut) }, [400, 403, 404]),
    },
  }, async (request, reply) => {
    const view = await uc.addArticle.execute({ blogId: request.params.id, caller: request.user!, ...request.body });
    return reply.code(201).header('location', `/api/articles/${view.article.id}`).send(articleOut(view));
  });

  app.get('/api/blogs/:id/articles', {
    schema: {
      operationId: 'listArticles',
      tags,
      summary: "A blog's articles, newest first",
      params: IdParams,
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: responses({ 200: Named(ArticlePage) }, [400, 404]),
    },
  }, async (request) => {
    const page = await uc.listArticles.execute({ blogId: request.params.id, page: pageRequest(request.query.limit, request.query.cursor) });
    return { items: page.items.map(articleOut), next_cursor: cursor(page.next) };
  });

  app.get('/api/articles/:id', {
    schema: {
      operationId: 'getArticle',
      tags,
      summary: 'One article; each read adds one to its view_count',
      params: IdParams,
      response: responses({ 200: Named(ArticleOut) }, [404]),
    },
  }, async (request) => articleOut(await uc.viewArticle.execute(request.params.id)));

  app.patch('/api/articles/:id', {
    config: required,
    schema: {
      operationId: 'updateArticle',
      tags,
      summary: 'Change an article (blog owner only)',
      params: IdParams,
      body: PatchArticleBody,
      response: responses({ 200: Named(ArticleOut) }, [400, 403, 404]),
    },
  }, async (request) => articleOut(await uc.updateArticle.execute({ id: request.params.id, caller: request.user!, changes: request.body })));

  app.delete('/api/articles/:id', {
    config: required,
    schema: { operationId: 'deleteArticle', tags, summary: 'Delete an article (blog owner only)', params: IdParams, response: responses({ 204: NoContent }, [403, 404]) },
  }, async (request, reply) => {
    await uc.deleteArticle.execute({ id: request.params.id, callerId: request.user!.id });
    return reply.code(204).send();
  });
};
