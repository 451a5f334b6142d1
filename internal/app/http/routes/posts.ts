import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ValidationError } from '../../../domain/shared/errors.js';
import { encodeCursor, pageRequest } from '../../../domain/shared/page.js';
import type { Config } from '../../config.js';
import type { PostUseCases } from '../../modules/posts.js';
import { IdParams, Named, PageQuery, responses } from '../schemas/common.js';
import { createPostBody, FeedQuery, PostOut, PostPage, postOut } from '../schemas/posts.js';

const DAY_MS = 86_400_000;

/** A date-only `to` covers its whole day; a date-only `from` starts at its midnight (UTC). */
function bound(field: 'from' | 'to', value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const dateOnly = value.length === 10;
  const at = new Date(dateOnly ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(at.getTime())) throw ValidationError.field(field, 'is not a valid date');
  return field === 'to' && dateOnly ? new Date(at.getTime() + DAY_MS - 1) : at;
}

/** `config.posting` is the configured limits (POST_MAX_LENGTH, DAILY_POST_LIMIT): the schema and its text follow them. */
export const postRoutes: FastifyPluginAsyncTypebox<{ uc: PostUseCases; config: Config }> = async (app, { uc, config }) => {
  const { posting } = config;
  const tags = ['posts'];

  app.post('/api/posts', {
    config: { auth: 'required' },
    schema: {
      operationId: 'createPost',
      tags,
      summary: `Create an original, a repost or a quote (at most ${posting.dailyLimit} a UTC day, ${posting.maxLength} characters each)`,
      body: createPostBody(posting),
      response: responses({ 201: Named(PostOut) }, [400, 409, 422, 429]),
    },
  }, async (request, reply) => {
    const { content, repost_of, quote_of } = request.body as { content?: string; repost_of?: string; quote_of?: string };
    const view = await uc.createPost.execute({
      author: request.user!,
      ...(content === undefined ? {} : { content }),
      ...(repost_of === undefined ? {} : { repostOf: repost_of }),
      ...(quote_of === undefined ? {} : { quoteOf: quote_of }),
    });
    return reply.code(201).header('location', `/api/posts/${view.post.id}`).send(postOut(view));
  });

  app.get('/api/posts/:id', {
    schema: { operationId: 'getPost', tags, summary: 'One post', params: IdParams, response: responses({ 200: Named(PostOut) }, [404]) },
  }, async (request) => postOut(await uc.getPost.execute(request.params.id)));

  app.get('/api/posts', {
    // ListPosts confirms the token's session: with the page, in one store call, where it can.
    config: { auth: 'optional', confirmsSession: true },
    schema: {
      operationId: 'listPosts',
      tags,
      summary: 'The feed, newest first',
      querystring: Type.Object({ ...PageQuery, ...FeedQuery }, { additionalProperties: false }),
      response: responses({ 200: Named(PostPage) }, [400, 404, 422]),
    },
  }, async (request) => {
    const { limit, cursor, following, author, from, to, q } = request.query;
    const fromDate = bound('from', from);
    const toDate = bound('to', to);
    const page = await uc.listPosts.execute({
      page: pageRequest(limit, cursor),
      ...(request.claim ? { viewerSession: request.claim } : {}),
      ...(following ? { following } : {}),
      ...(author === undefined ? {} : { author }),
      ...(fromDate ? { from: fromDate } : {}),
      ...(toDate ? { to: toDate } : {}),
      ...(q === undefined ? {} : { q }),
    });
    return { items: page.items.map(postOut), next_cursor: page.next && encodeCursor(page.next) };
  });
};
