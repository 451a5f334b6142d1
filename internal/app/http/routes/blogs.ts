import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { encodeCursor, pageRequest } from '../../../domain/shared/page.js';
import type { UseCases } from '../../container.js';
import type { Auth } from '../auth.js';
import { IdParams, NoContent, PageOf, PageQuery, Text, responses } from '../schemas/common.js';
import { ArticleInput, ArticleOut, BlogOut, CreateBlogBody, PatchArticleBody, PatchBlogBody, articleOut, blogOut } from '../schemas/blogs.js';

export const blogRoutes: FastifyPluginAsyncTypebox<{ uc: UseCases; auth: Auth }> = async (app, { uc, auth }) => {
  const tags = ['blogs'];
  const security = [{ bearer: [] }];
  const names = (ids: string[]) => uc.userSummaries.execute(ids);
  const cursor = (next: string | null) => next && encodeCursor(next);

  app.post('/api/blogs', {
    schema: { tags, security, summary: 'Create a blog, with its first articles, all or nothing', body: CreateBlogBody, response: responses({ 201: BlogOut }, [400, 401, 409]) },
  }, async (request, reply) => {
    const me = await auth.required(request);
    const { blog, articles } = await uc.createBlog.execute({ ownerId: me.id, ...request.body });
    const who = await names([me.id]);
    return reply
      .code(201)
      .header('location', `/api/blogs/${blog.id}`)
      .send({ ...blogOut(blog, articles.length, who), articles: [...articles].reverse().map((a) => articleOut(a, who)) });
  });

  app.get('/api/blogs', {
    schema: {
      tags,
      summary: 'Blogs, newest first',
      querystring: Type.Object({ ...PageQuery, owner: Type.Optional(Text({ minLength: 1, maxLength: 100 })) }, { additionalProperties: false }),
      response: responses({ 200: PageOf(BlogOut, 'Blog') }, [400, 404]),
    },
  }, async (request) => {
    const { limit, cursor: after, owner } = request.query;
    const page = await uc.listBlogs.execute({ page: pageRequest(limit, after), ...(owner === undefined ? {} : { owner }) });
    const who = await names(page.items.map((v) => v.blog.ownerId));
    return { items: page.items.map((v) => blogOut(v.blog, v.articleCount, who)), next_cursor: cursor(page.next) };
  });

  app.get('/api/blogs/:id', {
    schema: {
      tags,
      summary: 'One blog, by id or by slug; ?include=articles embeds its latest articles',
      params: IdParams,
      querystring: Type.Object({ include: Type.Optional(Type.Literal('articles')) }, { additionalProperties: false }),
      response: responses({ 200: BlogOut }, [400, 404]),
    },
  }, async (request) => {
    const view = await uc.getBlog.execute({
      key: request.params.id,
      ...(request.query.include ? { includeArticles: pageRequest(undefined, undefined) } : {}),
    });
    const who = await names([view.blog.ownerId, ...(view.articles?.items.map((a) => a.authorId) ?? [])]);
    return {
      ...blogOut(view.blog, view.articleCount, who),
      ...(view.articles
        ? { articles: view.articles.items.map((a) => articleOut(a, who)), articles_next_cursor: cursor(view.articles.next) }
        : {}),
    };
  });

  app.patch('/api/blogs/:id', {
    schema: { tags, security, summary: 'Change a blog (owner only)', params: IdParams, body: PatchBlogBody, response: responses({ 200: BlogOut }, [400, 401, 403, 404, 409]) },
  }, async (request) => {
    const me = await auth.required(request);
    const blog = await uc.updateBlog.execute({ id: request.params.id, callerId: me.id, changes: request.body });
    const view = await uc.getBlog.execute({ key: blog.id });
    return blogOut(blog, view.articleCount, await names([blog.ownerId]));
  });

  app.delete('/api/blogs/:id', {
    schema: { tags, security, summary: 'Delete a blog and its articles (owner only)', params: IdParams, response: responses({ 204: NoContent }, [401, 403, 404]) },
  }, async (request, reply) => {
    const me = await auth.required(request);
    await uc.deleteBlog.execute({ id: request.params.id, callerId: me.id });
    return reply.code(204).send();
  });

  app.post('/api/blogs/:id/articles', {
    schema: { tags, security, summary: 'Add an article (blog owner only)', params: IdParams, body: ArticleInput, response: responses({ 201: ArticleOut }, [400, 401, 403, 404]) },
  }, async (request, reply) => {
    const me = await auth.required(request);
    const article = await uc.addArticle.execute({ blogId: request.params.id, callerId: me.id, ...request.body });
    return reply.code(201).header('location', `/api/articles/${article.id}`).send(articleOut(article, await names([me.id])));
  });

  app.get('/api/blogs/:id/articles', {
    schema: {
      tags,
      summary: "A blog's articles, newest first",
      params: IdParams,
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: responses({ 200: PageOf(ArticleOut, 'Article') }, [400, 404]),
    },
  }, async (request) => {
    const page = await uc.listArticles.execute({ blogId: request.params.id, page: pageRequest(request.query.limit, request.query.cursor) });
    const who = await names(page.items.map((a) => a.authorId));
    return { items: page.items.map((a) => articleOut(a, who)), next_cursor: cursor(page.next) };
  });

  app.get('/api/articles/:id', {
    schema: { tags, summary: 'One article; each read adds one to its view_count', params: IdParams, response: responses({ 200: ArticleOut }, [404]) },
  }, async (request) => {
    const article = await uc.viewArticle.execute(request.params.id);
    return articleOut(article, await names([article.authorId]));
  });

  app.patch('/api/articles/:id', {
    schema: { tags, security, summary: 'Change an article (blog owner only)', params: IdParams, body: PatchArticleBody, response: responses({ 200: ArticleOut }, [400, 401, 403, 404]) },
  }, async (request) => {
    const me = await auth.required(request);
    const article = await uc.updateArticle.execute({ id: request.params.id, callerId: me.id, changes: request.body });
    return articleOut(article, await names([article.authorId]));
  });

  app.delete('/api/articles/:id', {
    schema: { tags, security, summary: 'Delete an article (blog owner only)', params: IdParams, response: responses({ 204: NoContent }, [401, 403, 404]) },
  }, async (request, reply) => {
    const me = await auth.required(request);
    await uc.deleteArticle.execute({ id: request.params.id, callerId: me.id });
    return reply.code(204).send();
  });
};
