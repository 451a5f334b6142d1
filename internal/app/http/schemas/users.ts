import { Type } from '@sinclair/typebox';
import type { Profile } from '../../../domain/users/get-profile.js';
import type { User } from '../../../domain/users/user.js';
import { Id, Named, PageOf, Text, Timestamp } from './common.js';
import { isoTime } from '../../../domain/shared/time.js';

export const Credentials = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 14, pattern: '^[A-Za-z0-9]+$', description: '1-14 letters or digits; unique ignoring case' }),
    password: Text({ minLength: 8, maxLength: 128 }),
  },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  { username: Text({ minLength: 1, maxLength: 200 }), password: Text({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

export const UserOut = Type.Object({ id: Id, username: Type.String(), joined_at: Timestamp }, { $id: 'User' });
export const UserPage = PageOf(UserOut);

/** A user as another resource names it: a post's author, a blog's owner, an article's author. */
export const UserSummary = Type.Object({ id: Id, username: Type.String() }, { $id: 'UserSummary' });

export const ProfileOut = Type.Object(
  {
    id: Id,
    username: Type.String(),
    joined_at: Timestamp,
    followers_count: Type.Integer(),
    following_count: Type.Integer(),
    posts_count: Type.Integer({ description: 'Originals, reposts and quotes' }),
    followed_by_me: Type.Optional(Type.Boolean({ description: 'Only with a bearer token' })),
  },
  { $id: 'Profile' },
);

export const SessionOut = Type.Object(
  { token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer({ description: 'Seconds' }), user: Named(UserOut) },
  { $id: 'Session' },
);

export const UsernameParams = Type.Object({ username: Text({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

export function userOut(user: User) {
  return { id: user.id, username: user.username, joined_at: isoTime(user.joinedAt) };
}

export function profileOut(profile: Profile) {
  return {
    ...userOut(profile.user),
    followers_count: profile.followersCount,
    following_count: profile.followingCount,
    posts_count: profile.postsCount,
    ...(profile.followedByMe === undefined ? {} : { followed_by_me: profile.followedByMe }),
  };
}
