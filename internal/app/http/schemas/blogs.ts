import { Type } from '@sinclair/typebox';
import { BLOG_LIMITS as L, SLUG_PATTERN } from '../../../domain/blogs/blog.js';
import type { ArticleView, BlogView } from '../../../domain/blogs/blog-views.js';
import { Id, Named, PageOf, Text, Timestamp, VisibleText } from './common.js';
import { UserSummary } from './users.js';
import { isoTime } from '../../../domain/shared/time.js';

const Slug = Type.String({ pattern: SLUG_PATTERN, description: `1 to ${L.maxSlugLength} of a-z, 0-9 and -; unique` });
const Name = VisibleText({ maxLength: L.maxNameLength });
const Description = Text({ maxLength: L.maxDescriptionLength });
const Title = Text({ maxLength: L.maxTitleLength });
const Content = VisibleText({ maxLength: L.maxContentLength, description: 'HTML or Markdown; stored sanitised' });

export const ArticleInput = Type.Object({ title: Type.Optional(Title), content: Content }, { additionalProperties: false });

export const CreateBlogBody = Type.Object(
  {
    name: Name,
    slug: Slug,
    description: Type.Optional(Description),
    articles: Type.Optional(
      Type.Array(ArticleInput, { maxItems: L.maxArticlesPerRequest, description: `Up to ${L.maxArticlesPerRequest}, created with the blog, all or nothing` }),
    ),
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
    author: Named(UserSummary),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Article' },
);

export const ArticlePage = PageOf(ArticleOut);

export const BlogOut = Type.Object(
  {
    id: Id,
    name: Type.String(),
    slug: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    owner: Named(UserSummary),
    article_count: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
    articles: Type.Optional(Type.Array(Named(ArticleOut), { description: 'Only with ?include=articles (and on creation): the latest page' })),
    articles_next_cursor: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { $id: 'Blog' },
);

export const BlogPage = PageOf(BlogOut);

export function articleOut({ article, author }: ArticleView) {
  return {
    id: article.id,
    blog_id: article.blogId,
    title: article.title,
    content: article.content,
    view_count: article.viewCount,
    author,
    created_at: isoTime(article.createdAt),
    updated_at: isoTime(article.updatedAt),
  };
}

export function blogOut({ blog, owner, articleCount }: BlogView) {
  return {
    id: blog.id,
    name: blog.name,
    slug: blog.slug,
    description: blog.description,
    owner,
    article_count: articleCount,
    created_at: isoTime(blog.createdAt),
    updated_at: isoTime(blog.updatedAt),
  };
}
