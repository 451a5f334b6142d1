import { FollowUser } from '../../domain/follows/follow-user.js';
import { ListConnections } from '../../domain/follows/list-connections.js';
import { UnfollowUser } from '../../domain/follows/unfollow-user.js';
import { FeedUpdates } from '../../domain/timelines/feed-updates.js';
import { followRoutes } from '../http/routes/follows.js';
import { TOKENS as T } from '../tokens.js';
import { defineModule, portOf, type UseCaseFactories, type UseCasesOf } from './module.js';

const useCases = {
  followUser: (r) => new FollowUser(portOf(r, 'users'), portOf(r, 'follows'), r.resolve(T.ids), r.resolve(T.clock), r.resolve(FeedUpdates)),
  unfollowUser: (r) => new UnfollowUser(portOf(r, 'users'), portOf(r, 'follows'), r.resolve(FeedUpdates)),
  listConnections: (r) => new ListConnections(portOf(r, 'users'), portOf(r, 'follows')),
} satisfies UseCaseFactories;

export type FollowUseCases = UseCasesOf<typeof useCases>;

/** Who follows whom. */
export const follows = defineModule({ name: 'follows', useCases, routes: followRoutes });
