import type { FollowRepository } from '../follows/follow-repository.js';
import type { PostRepository } from '../posts/post-repository.js';
import { userNotFound } from './errors.js';
import type { User } from './user.js';
import type { UserRepository } from './user-repository.js';

export interface Profile {
  user: User;
  followersCount: number;
  followingCount: number;
  postsCount: number;
  /** Present only when a viewer is known. */
  followedByMe?: boolean;
}

export class GetProfile {
  constructor(
    private readonly users: UserRepository,
    private readonly follows: FollowRepository,
    private readonly posts: PostRepository,
  ) {}

  async execute(input: { username: string; viewerId?: string }): Promise<Profile> {
    const user = await this.users.findByUsername(input.username);
    if (!user) throw userNotFound(input.username);
    const [counts, postsCount, followedByMe] = await Promise.all([
      this.follows.counts(user.id),
      this.posts.countByAuthor(user.id),
      input.viewerId ? this.follows.isFollowing(input.viewerId, user.id) : undefined,
    ]);
    return {
      user,
      followersCount: counts.followers,
      followingCount: counts.following,
      postsCount,
      ...(followedByMe === undefined ? {} : { followedByMe }),
    };
  }
}
