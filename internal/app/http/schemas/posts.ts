import { Type } from '@sinclair/typebox';
import type { PostingRules } from '../../../domain/posts/post.js';
import type { EmbeddedPostView, PostView } from '../../../domain/posts/post-views.js';
import { Id, Named, PageOf, Text, Timestamp, VisibleText } from './common.js';
import { UserSummary } from './users.js';
import { isoTime } from '../../../domain/shared/time.js';

const Kind = Type.Union([Type.Literal('original'), Type.Literal('repost'), Type.Literal('quote')]);
const IdRef = Type.String({ pattern: '^[0-9a-fA-F-]{36}$', description: 'A post id' });

/**
 * The three shapes a new post takes, each exact, so a client generator and a fuzzer see the
 * rules: the length counts what is sent (surrounding whitespace is still trimmed before storing).
 */
export function createPostBody(rules: PostingRules) {
  const content = VisibleText({
    maxLength: rules.maxLength,
    description: `1 to ${rules.maxLength} characters (Unicode code points), at least one of them visible`,
  });
  const strict = { additionalProperties: false } as const;
  // One example per shape, each that shape alone and short enough for any configured length
  // (@fastify/swagger makes `x-examples` the request body's named examples).
  const text = (example: string) => example.slice(0, rules.maxLength);
  const postId = '019a7c3e-2b1f-7c4e-9a1d-3f5e8b2c1a0d';
  const examples = {
    original: { summary: 'An original post', value: { content: text('Hello, Agora!') } },
    repost: { summary: 'A repost', value: { repost_of: postId } },
    quote: { summary: 'A quote', value: { quote_of: postId, content: text('Well said.') } },
  };
  return Type.Union(
    [
      Type.Object({ content }, { ...strict, title: 'NewOriginal', description: 'An original post' }),
      Type.Object({ repost_of: IdRef }, { ...strict, title: 'NewRepost', description: 'A repost of an original or a quote' }),
      Type.Object({ quote_of: IdRef, content }, { ...strict, title: 'NewQuote', description: 'A quote of an original or a repost, with its own text' }),
    ],
    { description: 'One of: {content} an original; {repost_of} a repost; {quote_of, content} a quote', 'x-examples': examples },
  );
}

export const EmbeddedPost = Type.Object(
  {
    id: Id,
    kind: Kind,
    author: Named(UserSummary),
    content: Type.Union([Type.String(), Type.Null()]),
    created_at: Timestamp,
    original_id: Type.Union([Id, Type.Null()]),
    repost_count: Type.Integer(),
    quote_count: Type.Integer(),
  },
  { $id: 'EmbeddedPost', description: 'A post as another post embeds it: original_id names what it reposts or quotes' },
);

export const PostOut = Type.Object(
  {
    id: Id,
    kind: Kind,
    author: Named(UserSummary),
    content: Type.Union([Type.String(), Type.Null()], { description: 'Null for reposts' }),
    created_at: Timestamp,
    original: Type.Union([Named(EmbeddedPost), Type.Null()], { description: 'The reposted or quoted post, one level deep' }),
    repost_count: Type.Integer(),
    quote_count: Type.Integer(),
  },
  { $id: 'Post' },
);

export const PostPage = PageOf(PostOut);

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
  const { post } = view;
  return {
    id: post.id,
    kind: post.kind,
    author: view.author,
    content: post.content,
    created_at: isoTime(post.createdAt),
    repost_count: view.repostCount,
    quote_count: view.quoteCount,
  };
}

/** Properties added to one fresh object, not spread into a copy: this runs for every post of every page (6 us for ten, against 15). */
export function postOut(view: PostView) {
  const { original } = view;
  return Object.assign(embedded(view), { original: original ? Object.assign(embedded(original), { original_id: original.post.originalId }) : null });
}
