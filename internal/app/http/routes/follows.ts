import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { encodeCursor, pageRequest } from '../../../domain/shared/page.js';
import type { Config } from '../../config.js';
import type { FollowUseCases } from '../../modules/follows.js';
import { Named, NoContent, PageQuery, responses } from '../schemas/common.js';
import { UserPage, UsernameParams, userOut } from '../schemas/users.js';

/** Following and unfollowing a user, and the lists of either direction. */
export const followRoutes: FastifyPluginAsyncTypebox<{ uc: FollowUseCases; config: Config }> = async (app, { uc }) => {
  const tags = ['users'];
  const required = { auth: 'required' } as const;
  const PageParams = Type.Object(PageQuery, { additionalProperties: false });

  app.post('/api/users/:username/follow', {
    config: required,
    schema: { operationId: 'followUser', tags, summary: 'Follow (idempotent)', params: UsernameParams, response: responses({ 204: NoContent }, [404, 422]) },
  }, async (request, reply) => {
    await uc.followUser.execute({ followerId: request.user!.id, username: request.params.username });
    return reply.code(204).send();
  });

  app.delete('/api/users/:username/follow', {
    config: required,
    schema: { operationId: 'unfollowUser', tags, summary: 'Unfollow (idempotent)', params: UsernameParams, response: responses({ 204: NoContent }, [404]) },
  }, async (request, reply) => {
    await uc.unfollowUser.execute({ followerId: request.user!.id, username: request.params.username });
    return reply.code(204).send();
  });

  for (const direction of ['followers', 'following'] as const) {
    app.get(`/api/users/:username/${direction}`, {
      schema: {
        operationId: direction === 'followers' ? 'listFollowers' : 'listFollowing',
        tags,
        summary: direction === 'followers' ? 'Who follows the user, newest first' : 'Whom the user follows, newest first',
        params: UsernameParams,
        querystring: PageParams,
        response: responses({ 200: Named(UserPage) }, [400, 404]),
      },
    }, async (request) => {
      const page = await uc.listConnections.execute({
        username: request.params.username,
        direction,
        page: pageRequest(request.query.limit, request.query.cursor),
      });
      return { items: page.items.map(userOut), next_cursor: page.next && encodeCursor(page.next) };
    });
  }
};
