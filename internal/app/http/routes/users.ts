import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { encodeCursor, pageRequest } from '../../../domain/shared/page.js';
import type { Config } from '../../config.js';
import type { UserUseCases } from '../../modules/users.js';
import { Named, NoContent, PageQuery, responses } from '../schemas/common.js';
import { Credentials, LoginBody, ProfileOut, SessionOut, UserOut, UserPage, UsernameParams, profileOut, userOut } from '../schemas/users.js';

export const userRoutes: FastifyPluginAsyncTypebox<{ uc: UserUseCases; config: Config }> = async (app, { uc }) => {
  const tags = ['users'];
  const required = { auth: 'required' } as const;
  const PageParams = Type.Object(PageQuery, { additionalProperties: false });
  /** Log-out takes nothing but the bearer token: no body, and no query fields either. */
  const NoQuery = Type.Object({}, { additionalProperties: false });

  app.post('/api/users', {
    schema: { operationId: 'signUp', tags, summary: 'Sign up', body: Credentials, response: responses({ 201: Named(UserOut) }, [400, 409]) },
  }, async (request, reply) => {
    const user = await uc.signUp.execute(request.body);
    return reply.code(201).header('location', `/api/users/${user.username}`).send(userOut(user));
  });

  app.post('/api/sessions', {
    schema: { operationId: 'logIn', tags, summary: 'Log in', body: LoginBody, response: responses({ 201: Named(SessionOut) }, [400, 401]) },
  }, async (request, reply) => {
    const session = await uc.logIn.execute(request.body);
    return reply.code(201).header('cache-control', 'no-store').send({
      token: session.token,
      token_type: 'Bearer' as const,
      expires_in: session.expiresInSeconds,
      user: userOut(session.user),
    });
  });

  const logOuts: Array<[string, string, string, (request: FastifyRequest) => Promise<void>]> = [
    ['/api/sessions/current', 'logOut', 'Log out: revoke the bearer token of this request', (r) => uc.logOut.execute({ sessionId: r.sessionId!, userId: r.user!.id })],
    ['/api/sessions', 'logOutEverywhere', 'Log out everywhere: revoke every bearer token of the caller', (r) => uc.logOutEverywhere.execute({ userId: r.user!.id })],
  ];
  for (const [url, operationId, summary, revoke] of logOuts) {
    app.delete(url, {
      config: required,
      schema: { operationId, tags, summary, querystring: NoQuery, response: responses({ 204: NoContent }, [400]) },
    }, async (request, reply) => {
      await revoke(request);
      return reply.code(204).send();
    });
  }

  app.get('/api/me', {
    config: required,
    schema: { operationId: 'getMyProfile', tags, summary: "The caller's profile", response: responses({ 200: Named(ProfileOut) }, []) },
  }, async (request, reply) => {
    const profile = profileOut(await uc.getProfile.execute({ username: request.user!.username }));
    return reply.header('cache-control', 'no-store').send(profile);
  });

  app.get('/api/users', {
    schema: {
      operationId: 'listUsers',
      tags,
      summary: 'All users, newest first',
      querystring: PageParams,
      response: responses({ 200: Named(UserPage) }, [400]),
    },
  }, async (request) => {
    const page = await uc.listUsers.execute(pageRequest(request.query.limit, request.query.cursor));
    return { items: page.items.map(userOut), next_cursor: page.next && encodeCursor(page.next) };
  });

  app.get('/api/users/:username', {
    config: { auth: 'optional' },
    schema: { operationId: 'getProfile', tags, summary: 'A profile', params: UsernameParams, response: responses({ 200: Named(ProfileOut) }, [404]) },
  }, async (request) => {
    const viewer = request.user;
    const profile = await uc.getProfile.execute({ username: request.params.username, ...(viewer ? { viewerId: viewer.id } : {}) });
    return profileOut(profile);
  });
};
