import { ValidationError, type FieldProblem } from '../shared/errors.js';
import { codePointLength, trimInvisible } from '../shared/text.js';

export interface Blog {
  id: string;
  ownerId: string;
  name: string;
  /** Unique across all blogs. */
  slug: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A blog's post; called an article to keep it apart from social posts. */
export interface Article {
  id: string;
  blogId: string;
  /** The blog owner when it was written; only the blog's owner changes it. */
  authorId: string;
  title: string | null;
  /** HTML or Markdown, stored sanitised. */
  content: string;
  viewCount: number;
  createdAt: Date;
  updatedAt: Date;
}

const blank = (text: string) => trimInvisible(text).length === 0;

/** Every bound on a blog's and an article's fields (lengths in code points); the HTTP schemas are built from these. */
export const BLOG_LIMITS = {
  maxNameLength: 100,
  maxSlugLength: 64,
  maxDescriptionLength: 500,
  maxTitleLength: 200,
  maxContentLength: 100_000,
  maxArticlesPerRequest: 50,
} as const;

/** A slug: lower-case letters, digits and hyphens. */
export const SLUG_PATTERN = `^[a-z0-9-]{1,${BLOG_LIMITS.maxSlugLength}}$`;
const SLUG = new RegExp(SLUG_PATTERN);
const L = BLOG_LIMITS;

export function checkBlogFields(fields: { name?: string; slug?: string; description?: string | null }): void {
  const problems: FieldProblem[] = [];
  if (fields.name !== undefined && (blank(fields.name) || codePointLength(fields.name) > L.maxNameLength)) {
    problems.push({ field: 'name', message: `must be 1 to ${L.maxNameLength} characters` });
  }
  if (fields.slug !== undefined && !SLUG.test(fields.slug)) {
    problems.push({ field: 'slug', message: `must be 1 to ${L.maxSlugLength} of a-z, 0-9 and -` });
  }
  if (fields.description && codePointLength(fields.description) > L.maxDescriptionLength) {
    problems.push({ field: 'description', message: `must be at most ${L.maxDescriptionLength} characters` });
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

export function checkArticleFields(fields: { title?: string | null; content?: string }, field = ''): void {
  const problems: FieldProblem[] = [];
  if (fields.title && codePointLength(fields.title) > L.maxTitleLength) {
    problems.push({ field: `${field}title`, message: `must be at most ${L.maxTitleLength} characters` });
  }
  if (fields.content !== undefined && (blank(fields.content) || codePointLength(fields.content) > L.maxContentLength)) {
    problems.push({ field: `${field}content`, message: `must be 1 to ${L.maxContentLength} characters` });
  }
  if (problems.length > 0) throw new ValidationError(problems);
}
