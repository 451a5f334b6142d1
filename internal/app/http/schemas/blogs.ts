import { Type } from '@sinclair/typebox';
import { MAX_CONTENT_LENGTH, type Article, type Blog } from '../../../domain/blogs/blog.js';
import type { UserSummary } from '../../../domain/users/user.js';
import { Id, Text, Timestamp } from './common.js';

const Slug = Type.String({ pattern: '^[a-z0-9-]{1,64}$', description: '1-64 of a-z, 0-9 and -; unique' });
const Name = Text({ minLength: 1, maxLength: 100 });
const Description = Text({ maxLength: 500 });
const Title = Text({ maxLength: 200 });
const Content = Text({ minLength: 1, maxLength: MAX_CONTENT_LENGTH, description: 'HTML or Markdown; stored sanitised' });
const Person = Type.Object({ id: Id, username: Type.String() });

export const ArticleInput = Type.Object({ title: Type.Optional(Title), content: Content }, { additionalProperties: false });

export const CreateBlogBody = Type.Object(
  {
    name: Name,
    slug: Slug,
    description: Type.Optional(Description),
    articles: Type.Optional(Type.Array(ArticleInput, { maxItems: 50, description: 'Created with the blog, all or nothing' })),
  },
  { additionalProperties: false },
);

export const PatchBlogBody = Type.Object(
  { name: Type.Optional(Name), slug: Type.Optional(Slug), description: Type.Optional(Type.Union([Description, Type.Null()])) },
  { additionalProperties: false, minProperties: 1 },
);

export const PatchArticleBody = Type.Object(
  { title: Type.Optional(Type.Union([Title, Type.Null()])), content: Type.Optional(Content) },
  { additionalProperties: false, minProperties: 1 },
);

export const ArticleOut = Type.Object(
  {
    id: Id,
    blog_id: Id,
    title: Type.Union([Type.String(), Type.Null()]),
    content: Type.String(),
    view_count: Type.Integer(),
    author: Person,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'Article' },
);

export const BlogOut = Type.Object(
  {
    id: Id,
    name: Type.String(),
    slug: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    owner: Person,
    article_count: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
    articles: Type.Optional(Type.Array(ArticleOut, { description: 'Only with ?include=articles: the latest page' })),
    articles_next_cursor: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { title: 'Blog' },
);

type Names = Map<string, UserSummary>;

function person(id: string, names: Names): UserSummary {
  return names.get(id) ?? { id, username: '[deleted]' };
}

export function articleOut(article: Article, names: Names) {
  return {
    id: article.id,
    blog_id: article.blogId,
    title: article.title,
    content: article.content,
    view_count: article.viewCount,
    author: person(article.authorId, names),
    created_at: article.createdAt.toISOString(),
    updated_at: article.updatedAt.toISOString(),
  };
}

export function blogOut(blog: Blog, articleCount: number, names: Names) {
  return {
    id: blog.id,
    name: blog.name,
    slug: blog.slug,
    description: blog.description,
    owner: person(blog.ownerId, names),
    article_count: articleCount,
    created_at: blog.createdAt.toISOString(),
    updated_at: blog.updatedAt.toISOString(),
  };
}
