import { Type } from '@sinclair/typebox';
import type { EmbeddedPostView, PostView } from '../../../domain/posts/post-views.js';
import { Id, Text, Timestamp } from './common.js';

const Kind = Type.Union([Type.Literal('original'), Type.Literal('repost'), Type.Literal('quote')]);
const Author = Type.Object({ id: Id, username: Type.String() });
const IdRef = Type.String({ pattern: '^[0-9a-fA-F-]{36}$', description: 'A post id' });

export const CreatePostBody = Type.Object(
  {
    content: Type.Optional(Text({ maxLength: 20_000, description: 'Original or quote text, 1-777 characters after trimming' })),
    repost_of: Type.Optional(IdRef),
    quote_of: Type.Optional(IdRef),
  },
  {
    additionalProperties: false,
    description: 'One of: {content} an original; {repost_of} a repost; {quote_of, content} a quote',
  },
);

const EmbeddedPost = Type.Object(
  {
    id: Id,
    kind: Kind,
    author: Author,
    content: Type.Union([Type.String(), Type.Null()]),
    created_at: Timestamp,
    original_id: Type.Union([Id, Type.Null()]),
    repost_count: Type.Integer(),
    quote_count: Type.Integer(),
  },
  { title: 'EmbeddedPost' },
);

export const PostOut = Type.Object(
  {
    id: Id,
    kind: Kind,
    author: Author,
    content: Type.Union([Type.String(), Type.Null()], { description: 'Null for reposts' }),
    created_at: Timestamp,
    original: Type.Union([EmbeddedPost, Type.Null()], { description: 'The reposted or quoted post, one level deep' }),
    repost_count: Type.Integer(),
    quote_count: Type.Integer(),
  },
  { title: 'Post' },
);

/** A calendar date or an RFC 3339 date-time, checked for real (Feb 30 is refused, not rolled over). */
const DateOrTime = (description: string) =>
  Type.Union([Type.String({ format: 'date' }), Type.String({ format: 'date-time' })], { description });

export const FeedQuery = {
  following: Type.Optional(Type.Boolean({ description: 'Only posts by users the caller follows (needs a token)' })),
  author: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Only posts by this username' })),
  from: Type.Optional(DateOrTime('ISO date or date-time; created_at >= from')),
  to: Type.Optional(DateOrTime('ISO date (whole day) or date-time; created_at <= to')),
  q: Type.Optional(Text({ minLength: 1, maxLength: 200, description: 'Case-insensitive text in originals and in quotes\' own text' })),
};

function embedded(view: EmbeddedPostView) {
  return {
    id: view.post.id,
    kind: view.post.kind,
    author: view.author,
    content: view.post.content,
    created_at: view.post.createdAt.toISOString(),
    repost_count: view.repostCount,
    quote_count: view.quoteCount,
  };
}

export function postOut(view: PostView) {
  return {
    ...embedded(view),
    original: view.original ? { ...embedded(view.original), original_id: view.original.post.originalId } : null,
  };
}
