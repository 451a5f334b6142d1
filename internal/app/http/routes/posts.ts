import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ValidationError } from '../../../domain/shared/errors.js';
import { encodeCursor, pageRequest } from '../../../domain/shared/page.js';
import type { UseCases } from '../../container.js';
import type { Auth } from '../auth.js';
import { IdParams, PageOf, PageQuery, responses } from '../schemas/common.js';
import { CreatePostBody, FeedQuery, PostOut, postOut } from '../schemas/posts.js';

const DAY_MS = 86_400_000;

/** A date-only `to` covers its whole day; a date-only `from` starts at its midnight (UTC). */
function bound(field: 'from' | 'to', value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const dateOnly = value.length === 10;
  const at = new Date(dateOnly ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(at.getTime())) throw ValidationError.field(field, 'is not a valid date');
  return field === 'to' && dateOnly ? new Date(at.getTime() + DAY_MS - 1) : at;
}

export const postRoutes: FastifyPluginAsyncTypebox<{ uc: UseCases; auth: Auth }> = async (app, { uc, auth }) => {
  const tags = ['posts'];

  app.post('/api/posts', {
    schema: {
      tags,
      security: [{ bearer: [] }],
      summary: 'Create an original, a repost or a quote (at most 5 a UTC day)',
      body: CreatePostBody,
      response: responses({ 201: PostOut }, [400, 401, 409, 422, 429]),
    },
  }, async (request, reply) => {
    const me = await auth.required(request);
    const { content, repost_of, quote_of } = request.body;
    const post = await uc.createPost.execute({
      authorId: me.id,
      ...(content === undefined ? {} : { content }),
      ...(repost_of === undefined ? {} : { repostOf: repost_of }),
      ...(quote_of === undefined ? {} : { quoteOf: quote_of }),
    });
    const view = await uc.getPost.execute(post.id);
    return reply.code(201).header('location', `/api/posts/${post.id}`).send(postOut(view));
  });

  app.get('/api/posts/:id', {
    schema: { tags, summary: 'One post', params: IdParams, response: responses({ 200: PostOut }, [404]) },
  }, async (request) => postOut(await uc.getPost.execute(request.params.id)));

  app.get('/api/posts', {
    schema: {
      tags,
      summary: 'The feed, newest first',
      querystring: Type.Object({ ...PageQuery, ...FeedQuery }, { additionalProperties: false }),
      response: responses({ 200: PageOf(PostOut, 'Post') }, [400, 401, 404]),
    },
  }, async (request) => {
    const { limit, cursor, following, author, from, to, q } = request.query;
    const viewer = await auth.optional(request);
    const fromDate = bound('from', from);
    const toDate = bound('to', to);
    const page = await uc.listPosts.execute({
      page: pageRequest(limit, cursor),
      ...(viewer ? { viewerId: viewer.id } : {}),
      ...(following ? { following } : {}),
      ...(author === undefined ? {} : { author }),
      ...(fromDate ? { from: fromDate } : {}),
      ...(toDate ? { to: toDate } : {}),
      ...(q === undefined ? {} : { q }),
    });
    return { items: page.items.map(postOut), next_cursor: page.next && encodeCursor(page.next) };
  });
};
